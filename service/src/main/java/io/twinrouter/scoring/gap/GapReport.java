package io.twinrouter.scoring.gap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.BankRow;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.common.Json;
import io.twinrouter.scoring.live.CaseOutcome;
import io.twinrouter.scoring.live.LiveScorer;
import io.twinrouter.scoring.live.ScoreOptions;
import io.twinrouter.scoring.statictrack.Prediction;
import io.twinrouter.scoring.statictrack.Predictions;
import io.twinrouter.scoring.statictrack.StaticScorer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The gap between the tracks: each router's static scores beside its live results on the same
 * cases, how often the static verdict (every step of a case at or above its target tier) agrees
 * with the live outcome, and for each pair of routers a paired exact McNemar test and the
 * smallest difference the number of cases could detect. Bank rows are joined to live cases by
 * instance id; a live case without bank rows is listed, never guessed.
 *
 * <p>The report holds no label: per case only the static verdict, never a target tier, so it
 * may leave the server.
 */
public final class GapReport {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The headline static scores the leaderboard shows, from the summary's {@code scores_v2}. */
  static final List<String> STATIC_KEYS = List.of(
      "case_pass_rate_percent", "case_exact_match_percent", "trajectory_pass_rate_percent",
      "cost_savings_score_percent", "combined_score_percent", "total_rows", "error_rows");

  /** One router: its live run and the static predictions of the same router on the bank. */
  public record RouterEvidence(GapRun run, Predictions predictions, String predictionsSource) {}

  /**
   * The statistical settings.
   *
   * @param failurePenaltyUsd the live bill's penalty per unresolved case
   * @param bootstrapReps resamples of the resolve-rate interval
   * @param seed the bootstrap's seed (the report is deterministic given it)
   * @param level the interval's coverage
   * @param alpha the two-sided level of the detectable-difference calculation
   * @param power the power of the detectable-difference calculation
   */
  public record Settings(double failurePenaltyUsd, int bootstrapReps, long seed, double level,
      double alpha, double power) {
    public static Settings defaults(double failurePenaltyUsd) {
      return new Settings(failurePenaltyUsd, 2000, 42, 0.95, 0.05, 0.80);
    }
  }

  private GapReport() {}

  public static ObjectNode build(String bankName, LoadedBank bank, StaticScorer scorer,
      List<RouterEvidence> routers, Settings settings) {
    Map<String, List<BankRow>> rowsByInstance = rowsByInstance(bank);
    ObjectNode out = JSON.objectNode();
    out.put("bank", bankName);
    out.put("bank_file", bank.name());
    out.put("bank_rows", bank.rowCount());
    ObjectNode st = out.putObject("settings");
    st.put("failure_penalty_usd", settings.failurePenaltyUsd());
    st.put("bootstrap_reps", settings.bootstrapReps());
    st.put("bootstrap_seed", settings.seed());
    st.put("interval_level", settings.level());
    st.put("alpha", settings.alpha());
    st.put("power", settings.power());

    List<Map<String, Boolean>> resolvedById = new ArrayList<>();
    ArrayNode routerNodes = out.putArray("routers");
    for (RouterEvidence r : routers) {
      routerNodes.add(router(r, bank, scorer, rowsByInstance, settings));
      Map<String, Boolean> byId = new LinkedHashMap<>();
      r.run().cases().forEach(c -> byId.put(c.instanceId(), c.resolved()));
      resolvedById.add(byId);
    }
    markPareto(routerNodes);

    ArrayNode pairs = out.putArray("pairs");
    for (int a = 0; a < routers.size(); a++) {
      for (int b = a + 1; b < routers.size(); b++) {
        pairs.add(pair(routers.get(a).run().label(), resolvedById.get(a),
            routers.get(b).run().label(), resolvedById.get(b), settings));
      }
    }
    return out;
  }

  private static ObjectNode router(RouterEvidence r, LoadedBank bank, StaticScorer scorer,
      Map<String, List<BankRow>> rowsByInstance, Settings settings) {
    GapRun run = r.run();
    ObjectNode node = JSON.objectNode();
    node.put("router", run.label());
    node.put("run_dir", run.dir().toString());
    node.put("predictions", r.predictionsSource());

    JsonNode summary = scorer.score(bank, r.predictions(), Optional.empty(), run.label()).summary();
    ObjectNode statics = node.putObject("static");
    for (String k : STATIC_KEYS) {
      JsonNode v = summary.path("scores_v2").path(k);
      if (k.endsWith("_rows")) {
        statics.put(k, v.asInt());
      } else {
        putNumber(statics, k, v.asDouble(Double.NaN));
      }
    }

    ObjectNode score = LiveScorer.score(run.identity(), run.cases(),
        ScoreOptions.defaults(settings.failurePenaltyUsd()));
    List<CaseOutcome> cases = new ArrayList<>(run.cases());
    cases.sort(Comparator.comparing(CaseOutcome::instanceId));
    boolean[] resolved = new boolean[cases.size()];
    for (int i = 0; i < resolved.length; i++) {
      resolved[i] = cases.get(i).resolved();
    }
    GapStatistics.Interval ci = GapStatistics.bootstrapRate(
        resolved, settings.bootstrapReps(), settings.seed(), settings.level());
    ObjectNode live = node.putObject("live");
    live.put("cases", score.path("instance_count").asInt());
    live.put("resolved", score.path("resolved_count").asInt());
    putNumber(live, "resolved_rate", ci.estimate());
    putNumber(live, "resolved_rate_low", ci.low());
    putNumber(live, "resolved_rate_high", ci.high());
    live.put("api_cost_usd", score.path("total_router_cost_usd").asDouble());
    live.put("penalty_usd", score.path("total_penalty_cost_usd").asDouble());
    live.put("bill_usd", score.path("total_leaderboard_bill_usd").asDouble());
    live.put("pricing_fingerprint", run.identity().pricingFingerprint());

    List<Boolean> staticJoined = new ArrayList<>();
    List<Boolean> liveJoined = new ArrayList<>();
    ArrayNode missing = JSON.arrayNode();
    ArrayNode caseNodes = JSON.arrayNode();
    Map<String, JsonNode> perInstance = new HashMap<>();
    score.path("per_instance").forEach(p -> perInstance.put(p.path("instance_id").asText(), p));
    for (CaseOutcome c : cases) {
      ObjectNode cn = caseNodes.addObject();
      cn.put("instance_id", c.instanceId());
      cn.put("resolved", c.resolved());
      cn.put("api_cost_usd", c.apiCostUsd());
      cn.put("bill_usd", perInstance.get(c.instanceId()).path("instance_bill_usd").asDouble());
      List<BankRow> rows = rowsByInstance.get(c.instanceId());
      if (rows == null) {
        cn.putNull("static_pass");
        cn.put("bank_steps", 0);
        missing.add(c.instanceId());
      } else {
        boolean pass = staticPass(rows, r.predictions());
        cn.put("static_pass", pass);
        cn.put("bank_steps", rows.size());
        staticJoined.add(pass);
        liveJoined.add(c.resolved());
      }
      ArrayNode tiers = cn.putArray("tiers");
      TraceTiers.read(run.dir(), c.instanceId()).forEach(tiers::add);
    }

    ObjectNode agreement = node.putObject("agreement");
    agreement.put("cases_joined", staticJoined.size());
    agreement.set("cases_without_bank_rows", missing);
    if (!staticJoined.isEmpty()) {
      GapStatistics.Agreement a = GapStatistics.agreement(toArray(staticJoined), toArray(liveJoined));
      agreement.put("both_pass", a.bothPass());
      agreement.put("static_only", a.staticOnly());
      agreement.put("live_only", a.liveOnly());
      agreement.put("neither", a.neither());
      putNumber(agreement, "rate", a.rate());
      putNumber(agreement, "kappa", a.kappa());
      if (a.kappaUndefined() != null) {
        agreement.put("kappa_undefined", a.kappaUndefined());
      }
    }
    node.set("cases", caseNodes);
    return node;
  }

  /** The static verdict of a case: every step's prediction is a tier at or above its target. */
  static boolean staticPass(List<BankRow> rows, Predictions predictions) {
    for (BankRow row : rows) {
      Prediction p = predictions.get(row.id()).orElse(null);
      if (!(p instanceof Prediction.Routed routed) || routed.tier().id() < row.goldTierId()) {
        return false;
      }
    }
    return true;
  }

  private static ObjectNode pair(String labelA, Map<String, Boolean> a, String labelB,
      Map<String, Boolean> b, Settings settings) {
    List<String> common = new ArrayList<>(new TreeSet<>(a.keySet()));
    common.retainAll(b.keySet());
    boolean[] ra = new boolean[common.size()];
    boolean[] rb = new boolean[common.size()];
    for (int i = 0; i < common.size(); i++) {
      ra[i] = a.get(common.get(i));
      rb[i] = b.get(common.get(i));
    }
    ObjectNode node = JSON.objectNode();
    node.put("a", labelA);
    node.put("b", labelB);
    node.put("cases", common.size());
    GapStatistics.McNemar m = GapStatistics.mcnemarExact(ra, rb);
    putNumber(node, "resolved_rate_a", GapStatistics.rate(ra));
    putNumber(node, "resolved_rate_b", GapStatistics.rate(rb));
    putNumber(node, "difference", GapStatistics.rate(ra) - GapStatistics.rate(rb));
    node.put("only_a", m.onlyA());
    node.put("only_b", m.onlyB());
    node.put("mcnemar_p", m.pValue());
    double psi = common.isEmpty() ? Double.NaN : GapStatistics.planningDiscordance(ra, rb);
    putNumber(node, "planning_discordance", psi);
    putNumber(node, "min_detectable_difference", common.isEmpty() ? Double.NaN
        : GapStatistics.minimumDetectableDifference(common.size(), psi, settings.alpha(), settings.power()));
    return node;
  }

  /**
   * A router is on the live frontier when no other run costs no more and resolves no fewer, and
   * is strictly better on one of the two (API cost against resolve rate).
   */
  private static void markPareto(ArrayNode routers) {
    for (JsonNode r : routers) {
      double cost = r.path("live").path("api_cost_usd").asDouble();
      double rate = r.path("live").path("resolved_rate").asDouble(Double.NaN);
      boolean dominated = false;
      for (JsonNode o : routers) {
        double oc = o.path("live").path("api_cost_usd").asDouble();
        double or = o.path("live").path("resolved_rate").asDouble(Double.NaN);
        if (o != r && oc <= cost && or >= rate && (oc < cost || or > rate)) {
          dominated = true;
          break;
        }
      }
      ((ObjectNode) r.path("live")).put("pareto_optimal", !dominated);
    }
  }

  /** Bank rows by the instance id of their trajectory, each list in step order. */
  static Map<String, List<BankRow>> rowsByInstance(LoadedBank bank) {
    Map<String, List<BankRow>> out = new HashMap<>();
    for (BankRow row : bank.rows()) {
      out.computeIfAbsent(instanceId(row), k -> new ArrayList<>()).add(row);
    }
    out.values().forEach(l -> l.sort(Comparator.comparingLong(BankRow::stepIndex)));
    return out;
  }

  /** The trajectory key is the JSON text of {@code instance_id}: a string's value, else the text. */
  private static String instanceId(BankRow row) {
    String key = row.trajectoryKey();
    try {
      JsonNode n = JSON_READER.readTree(key);
      return n.isTextual() ? n.asText() : key;
    } catch (Exception e) {
      return key;
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON_READER =
      Json.MAPPER;

  private static boolean[] toArray(List<Boolean> xs) {
    boolean[] out = new boolean[xs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = xs.get(i);
    }
    return out;
  }

  /** NaN and infinities are written as null: the report is plain JSON a browser can read. */
  private static void putNumber(ObjectNode node, String key, double value) {
    if (Double.isFinite(value)) {
      node.put(key, value);
    } else {
      node.putNull(key);
    }
  }
}
