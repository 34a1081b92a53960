package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run directory as mini-swe-agent's own tools look at it, beside the reference's layout: each
 * finished case's trajectory also at {@code <id>/<id>.traj.json}, and the cases by exit status
 * in {@code exit_statuses_<unix time>.yaml}, one file per invocation as mini's batch runner
 * writes them.
 */
public final class MiniLayout {
  private MiniLayout() {}

  /** Written once the run's cases are over, from its result files. */
  public static void write(Path out) {
    Map<String, List<String>> byStatus = new TreeMap<>();
    for (JsonNode r : RunOutputs.results(out)) {
      String id = r.path("instance_id").asText();
      byStatus.computeIfAbsent(r.path("finished_by").asText("Unknown"), s -> new ArrayList<>())
          .add(id);
      Path trajectory = out.resolve(id + ".mini_traj.json");
      if (Files.isRegularFile(trajectory)) {
        try {
          Path target = Files.createDirectories(out.resolve(id)).resolve(id + ".traj.json");
          Files.copy(trajectory, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot copy " + trajectory, e);
        }
      }
    }
    StringBuilder yaml = new StringBuilder("instances_by_exit_status:\n");
    byStatus.forEach((status, ids) -> {
      yaml.append("  ").append(quoted(status)).append(":\n");
      ids.forEach(id -> yaml.append("  - ").append(quoted(id)).append('\n'));
    });
    Path file = out.resolve("exit_statuses_" + System.currentTimeMillis() / 1000 + ".yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A YAML double-quoted scalar (JSON's string syntax is valid YAML). */
  private static String quoted(String s) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
  }
}
