package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Reads the per-benchmark line counts of a question-bank {@code manifest.json} (spec 3.2). */
public final class Manifest {
  private Manifest() {}

  /** {@code sources.<benchmark>.line_count}, ascending by benchmark. */
  public static Map<String, Integer> lineCounts(Path file) throws IOException {
    String source = file.toString();
    JsonNode root;
    try {
      root = StaticScorer.JSON.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new SamplingException(source, null, "bad JSON: " + e.getOriginalMessage());
    }
    JsonNode sources = root == null ? null : root.get("sources");
    if (sources == null || !sources.isObject() || sources.isEmpty()) {
      throw new SamplingException(source, "sources", "missing or empty");
    }
    Map<String, Integer> counts = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = sources.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode count = e.getValue().get("line_count");
      if (count == null || !count.canConvertToInt() || !count.isIntegralNumber()) {
        throw new SamplingException(source, "sources." + e.getKey() + ".line_count",
            count == null ? "missing" : "must be an integer, got " + count);
      }
      counts.put(e.getKey(), count.intValue());
    }
    return counts;
  }
}
