package io.twinrouter.orchestrator.derive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.records.CaseFiles;
import io.twinrouter.common.Json;
import io.twinrouter.config.Tier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bank rows of one derived task, in the official question-bank format (static-track spec
 * 2.2): one row per step of the locked trajectory, whose {@code messages} are what the router saw
 * before that step's model call in the real mixed-model run (rebuilt from its mini trajectory,
 * bookkeeping stripped), labelled with the step's locked tier.
 */
final class BankRows {
  static final String BENCHMARK = "swebench";
  static final String SCENARIO = "code_swe";
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private BankRows() {}

  /**
   * @param runDir the live run directory of the locked trajectory
   * @param targets the locked tier of each step, step 0 first
   * @param subset where the tasks came from ({@code bundled} or the task file's name)
   * @param notes what the labels hold for (pool and seed)
   */
  static List<ObjectNode> rows(Path runDir, String instanceId, List<Tier> targets, String subset,
      String notes) {
    List<List<JsonNode>> prefixes = prefixes(new CaseFiles(runDir, instanceId).trajectory());
    if (prefixes.size() != targets.size()) {
      throw new IllegalStateException(instanceId + ": the locked trajectory has "
          + prefixes.size() + " model calls, the derivation " + targets.size() + " steps");
    }
    List<ObjectNode> rows = new ArrayList<>();
    int total = targets.size();
    for (int i = 0; i < total; i++) {
      Tier tier = targets.get(i);
      ObjectNode r = F.objectNode();
      r.put("id", BENCHMARK + "_" + instanceId + "_step_" + (i + 1));
      r.put("benchmark", BENCHMARK);
      r.put("scenario", SCENARIO);
      r.put("instance_id", instanceId);
      r.put("step_index", i + 1);
      r.put("total_steps", total);
      ArrayNode messages = r.putArray("messages");
      prefixes.get(i).forEach(messages::add);
      r.put("target_tier", tier.wireName());
      r.put("target_tier_id", tier.id());
      r.put("benchmark_display", "SWE-bench style (twinrouter static derive)");
      r.put("benchmark_subset", subset);
      r.put("benchmark_version", "twinrouter-derive-v1");
      r.put("pipeline_stage", "ground_truth_ready");
      r.put("collector", "twinrouter static derive");
      ObjectNode source = r.putObject("source");
      source.put("uri", "twinrouter://tasks/" + subset);
      source.put("license", "Apache-2.0");
      source.put("version", "twinrouter-derive-v1");
      r.put("notes", notes);
      rows.add(r);
    }
    return rows;
  }

  /**
   * The conversation before each model call. Every call appends exactly one message to the
   * history: the assistant's answer, or (for an answer that failed to parse) the format-error
   * message, which is how mini counts it; so the prefix of call k is everything before the k-th
   * such message.
   */
  static List<List<JsonNode>> prefixes(Path miniTrajectory) {
    JsonNode doc;
    try {
      doc = JSON.readTree(miniTrajectory.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trajectory " + miniTrajectory, e);
    }
    List<JsonNode> visible = new ArrayList<>();
    List<List<JsonNode>> out = new ArrayList<>();
    for (JsonNode m : doc.path("messages")) {
      String role = m.path("role").asText();
      boolean call = role.equals("assistant") || (role.equals("user")
          && "FormatError".equals(m.path("extra").path("interrupt_type").asText(null)));
      if (call) {
        out.add(List.copyOf(visible));
      }
      if (role.equals("exit")) {
        break;
      }
      ObjectNode copy = ((ObjectNode) m).deepCopy();
      copy.remove("extra");
      if (copy.path("content").isTextual() && !role.equals("assistant")) {
        copy.put("content", WallClockText.mask(copy.get("content").asText()));
      }
      visible.add(copy);
    }
    return out;
  }
}
