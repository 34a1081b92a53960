package io.twinrouter.orchestrator.live;

import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.common.PythonRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which rows of a dataset a run takes, as mini-swe-agent's batch runner selects them: shuffled
 * (sorted by id first, so the order does not depend on the file's, then Python's
 * {@code random.seed(S); random.shuffle(rows)}, so a seed gives the order mini gives), then kept
 * when the id matches the filter from its start, then sliced; and whether rows the run cannot grade are left out
 * ({@code --skip-unsupported}) instead of refusing the run.
 *
 * @param slice {@code A:B} as in Python ({@code :10}, {@code 5:}, {@code -3:}), or empty
 * @param filter a regular expression matched at the start of the instance id, or empty
 * @param shuffleSeed the seed of the shuffle, or empty for the file's order
 */
public record TaskSelection(Optional<String> slice, Optional<String> filter,
    Optional<Long> shuffleSeed, boolean skipUnsupported) {

  public static final TaskSelection ALL =
      new TaskSelection(Optional.empty(), Optional.empty(), Optional.empty(), false);

  /** @throws IllegalArgumentException naming the option that is malformed */
  public TaskSelection {
    slice.ifPresent(TaskSelection::bounds);
    filter.ifPresent(f -> {
      try {
        Pattern.compile(f);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("--filter '" + f + "' is not a regular expression: "
            + e.getDescription());
      }
    });
  }

  public TaskSelection skippingUnsupported(boolean skip) {
    return new TaskSelection(slice, filter, shuffleSeed, skip);
  }

  /** The selected rows, in run order. */
  public List<TaskInstance> apply(List<TaskInstance> tasks) {
    List<TaskInstance> rows = new ArrayList<>(tasks);
    if (shuffleSeed.isPresent()) {
      rows.sort(Comparator.comparing(TaskInstance::instanceId));
      new PythonRandom(shuffleSeed.get()).shuffle(rows);
    }
    if (filter.isPresent()) {
      Pattern p = Pattern.compile(filter.get());
      rows.removeIf(t -> !p.matcher(t.instanceId()).lookingAt());
    }
    if (slice.isPresent()) {
      Integer[] b = bounds(slice.get());
      int n = rows.size();
      int from = b[0] == null ? 0 : clamp(b[0] < 0 ? n + b[0] : b[0], n);
      int to = b[1] == null ? n : clamp(b[1] < 0 ? n + b[1] : b[1], n);
      rows = from >= to ? List.of() : rows.subList(from, to);
    }
    return List.copyOf(rows);
  }

  private static int clamp(int i, int n) {
    return Math.max(0, Math.min(i, n));
  }

  private static Integer[] bounds(String slice) {
    String[] parts = slice.split(":", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("--slice must be A:B (either may be empty), got '"
          + slice + "'");
    }
    Integer[] b = new Integer[2];
    for (int i = 0; i < 2; i++) {
      String s = parts[i].strip();
      try {
        b[i] = s.isEmpty() ? null : Integer.valueOf(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--slice must be A:B with whole numbers, got '"
            + slice + "'");
      }
    }
    return b;
  }
}
