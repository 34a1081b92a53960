package io.twinrouter.scoring.gap;

import io.twinrouter.scoring.live.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tier of each priced step of a live case, in step order, from its trace {@code
 * <run dir>/<id>.trace.jsonl}. A step without a tier reads as "?".
 */
final class TraceTiers {
  private TraceTiers() {}

  static List<String> read(Path runDir, String instanceId) {
    Path trace = runDir.resolve(instanceId + ".trace.jsonl");
    List<String> tiers = new ArrayList<>();
    if (Files.isRegularFile(trace)) {
      RunDirectory.forEachStepRow(trace,
          row -> tiers.add(row.path("tier").isTextual() ? row.get("tier").asText() : "?"));
    }
    return tiers;
  }
}
