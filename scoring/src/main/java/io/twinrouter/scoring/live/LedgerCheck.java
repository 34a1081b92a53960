package io.twinrouter.scoring.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's checks of a run, read from its traces' step rows: calls the provider answered with
 * another model than the one requested, the summed difference between what providers said they
 * billed and the computed bill, and paid responses the agent could not use. The leaderboard's bill
 * is the computed one (as the reference prices it); these figures say how far it can be trusted.
 */
public final class LedgerCheck {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private int mismatches;
  private final ArrayNode mismatchCalls = JSON.arrayNode();
  private int billedCalls;
  private double billed;
  private double computedOfBilled;
  private int unusable;
  private int unusablePriced;
  private double unusableCost;
  private final ArrayNode unpriced = JSON.arrayNode();

  private LedgerCheck() {}

  /** The checks over every finished case of {@code runDir}. */
  public static LedgerCheck read(Path runDir) {
    LedgerCheck check = new LedgerCheck();
    for (Path f : RunDirectory.resultFiles(runDir)) {
      JsonNode r = RunDirectory.result(f);
      RunDirectory.forEachRow(RunDirectory.traceOf(runDir, f, r), check::add, check::addEnd);
    }
    return check;
  }

  private void add(JsonNode row) {
    if (row.path("served_model_mismatch").asBoolean(false)) {
      mismatches++;
      mismatchCalls.addObject()
          .put("instance_id", row.path("instance_id").asText())
          .put("step_index", row.path("step_index").asInt())
          .put("model_id", row.path("model_id").asText())
          .put("requested_model", row.path("requested_model").asText())
          .put("served_model", row.path("served_model").asText());
    }
    JsonNode b = row.get("billed_cost_usd");
    if (b != null && b.isNumber()) {
      billedCalls++;
      billed += b.asDouble();
      computedOfBilled += row.get("step_cost_usd").asDouble();
    }
    addUnusable(row, row.path("step_index").asInt());
  }

  /** A case's summary row: the format errors after its last priced step. */
  private void addEnd(JsonNode summary) {
    addUnusable(summary, summary.path("step_count").asInt());
  }

  private void addUnusable(JsonNode row, int beforeStep) {
    for (JsonNode u : row.path("unusable_responses")) {
      unusable++;
      JsonNode cost = u.get("cost_usd");
      if (cost != null && cost.isNumber()) {
        unusablePriced++;
        unusableCost += cost.asDouble();
      } else {
        unpriced.addObject()
            .put("instance_id", row.path("instance_id").asText())
            .put("before_step_index", beforeStep)
            .put("model_id", u.path("model_id").asText())
            .put("cause", u.path("cause").asText());
      }
    }
  }

  /**
   * The score fields, in order: {@code served_model_mismatches}, {@code
   * billed_minus_computed_usd} and the {@code ledger} object with their detail. They are run
   * facts ({@link RunEnding#RUN_FACTS}): a run writes them to its eval_summary.json, so the score
   * the service serves and score.json carry the same.
   */
  public static final List<String> FIELDS =
      List.of("served_model_mismatches", "billed_minus_computed_usd", "ledger");

  /** The {@link #FIELDS} and their values. */
  public Map<String, JsonNode> facts() {
    ObjectNode o = JSON.objectNode();
    addTo(o);
    Map<String, JsonNode> out = new LinkedHashMap<>();
    o.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Adds the {@link #FIELDS} to {@code doc}. */
  public void addTo(ObjectNode doc) {
    doc.put("served_model_mismatches", mismatches);
    doc.put("billed_minus_computed_usd", billed - computedOfBilled);
    ObjectNode l = doc.putObject("ledger");
    l.set("served_model_mismatch_calls", mismatchCalls);
    l.put("provider_billed_call_count", billedCalls);
    l.put("provider_billed_cost_usd", billed);
    l.put("computed_cost_of_billed_calls_usd", computedOfBilled);
    ObjectNode u = l.putObject("unusable_paid_responses");
    u.put("count", unusable);
    u.put("priced_count", unusablePriced);
    u.put("cost_usd", unusableCost);
    u.set("usage_unknown", unpriced);
  }
}
