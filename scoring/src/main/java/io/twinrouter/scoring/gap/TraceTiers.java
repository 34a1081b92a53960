package io.twinrouter.scoring.gap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tier of each priced step of a live case, in step order, from its trace {@code
 * <run dir>/<id>.trace.jsonl} (marker rows skipped). A step without a tier reads as "?".
 */
final class TraceTiers {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TraceTiers() {}

  static List<String> read(Path runDir, String instanceId) {
    Path trace = runDir.resolve(instanceId + ".trace.jsonl");
    List<String> tiers = new ArrayList<>();
    if (!Files.isRegularFile(trace)) {
      return tiers;
    }
    int lineNo = 0;
    try (BufferedReader in = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode row;
        try {
          row = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException(trace + ":" + lineNo + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (row.has("__marker__") || !row.has("step_cost_usd")) {
          continue;
        }
        tiers.add(row.path("tier").isTextual() ? row.get("tier").asText() : "?");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tiers;
  }
}
