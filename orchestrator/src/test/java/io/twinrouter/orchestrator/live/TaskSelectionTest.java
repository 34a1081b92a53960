package io.twinrouter.orchestrator.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.common.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --slice}, {@code --filter} and {@code --shuffle} on the bundled suite's 13 rows. */
class TaskSelectionTest {
  @TempDir Path dir;

  private static List<String> ids(List<TaskInstance> rows) {
    return rows.stream().map(TaskInstance::instanceId).toList();
  }

  private static TaskSelection of(String slice, String filter, Long seed) {
    return new TaskSelection(Optional.ofNullable(slice), Optional.ofNullable(filter),
        Optional.ofNullable(seed), false);
  }

  @Test
  void slicesFiltersAndShufflesLikeABatchRunner() {
    List<TaskInstance> all = TaskSuite.bundled(dir);
    List<String> allIds = ids(all);

    assertEquals(allIds.subList(0, 3), ids(of(":3", null, null).apply(all)));
    assertEquals(allIds.subList(10, 13), ids(of("-3:", null, null).apply(all)));
    assertEquals(allIds.subList(2, 13), ids(of("2:99", null, null).apply(all)));
    assertEquals(List.of(), ids(of("5:2", null, null).apply(all)));

    List<String> ledger = ids(of(null, "twinrouter-suite__ledger", null).apply(all));
    assertTrue(!ledger.isEmpty() && ledger.stream().allMatch(id -> id.contains("ledgerkit")));
    assertEquals(List.of(), ids(of(null, "ledger", null).apply(all)), "matched from the start");
    assertEquals(ledger.subList(0, 1), ids(of(":1", "twinrouter-suite__ledger", null).apply(all)));

    List<String> shuffled = ids(of(null, null, 7L).apply(all));
    List<TaskInstance> reversed = new java.util.ArrayList<>(all);
    java.util.Collections.reverse(reversed);
    assertEquals(shuffled, ids(of(null, null, 7L).apply(reversed)),
        "the file's order does not matter, the seed does");
    assertNotEquals(shuffled, ids(of(null, null, 8L).apply(all)));
    assertEquals(allIds.stream().sorted().toList(), shuffled.stream().sorted().toList());
  }

  /**
   * The order mini-swe-agent's batch runner gives: CPython itself shuffles the sorted ids, for
   * seeds of one and two 32-bit words and a negative one.
   */
  @Test
  void shuffleGivesPythonsOrder() throws Exception {
    List<TaskInstance> all = TaskSuite.bundled(dir);
    for (long seed : new long[] {42L, 0L, 7L, (1L << 33) + 11, -9L}) {
      List<String> sorted = ids(all).stream().sorted().toList();
      String script = "import json, random, sys\n"
          + "rows = json.load(sys.stdin)\n"
          + "random.seed(" + seed + ")\n"
          + "random.shuffle(rows)\n"
          + "print(json.dumps(rows))\n";
      Process p = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
      try (var in = p.getOutputStream()) {
        in.write(Json.MAPPER.writeValueAsBytes(sorted));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), out);
      List<String> python = List.of(Json.MAPPER.readValue(out, String[].class));
      assertEquals(python, ids(of(null, null, seed).apply(all)), "seed " + seed);
    }
  }

  @Test
  void malformedOptionsAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> of("3", null, null))
        .getMessage().startsWith("--slice must be A:B"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> of("a:b", null, null))
        .getMessage().contains("whole numbers"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> of(null, "([", null))
        .getMessage().startsWith("--filter '([' is not a regular expression"));
  }
}
