package io.twinrouter.orchestrator.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.orchestrator.live.RunOutputs;
import io.twinrouter.scoring.compare.ComparePlan;
import io.twinrouter.scoring.compare.ConfidenceSequence.Interval;
import io.twinrouter.scoring.compare.PairedComparison;
import io.twinrouter.scoring.compare.RepeatSummary;
import io.twinrouter.scoring.compare.SequentialDesign;
import io.twinrouter.scoring.compare.SequentialDesign.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code compare.json} and the lines {@code compare} prints, from where a comparison stands. */
public final class CompareReport {

  private CompareReport() {}

  /** The decision of a pair, with what decided it: the test, or the limit or budget. */
  public static String decision(PairedComparison c, CompareRun.Stop stop) {
    Decision d = c.decision();
    if (d != Decision.CONTINUE) {
      return d.wireName();
    }
    if (stop == CompareRun.Stop.CASE_LIMIT) {
      return Decision.NO_DIFFERENCE.wireName();
    }
    return stop == CompareRun.Stop.BUDGET ? "undecided" : "running";
  }

  /** What the scoring service names a comparison by: its folder's name. */
  public static String id(CompareOptions o) {
    return o.out().getFileName().toString();
  }

  public static ObjectNode json(CompareRun.Progress p) {
    CompareOptions o = p.options();
    ObjectNode j = JsonNodeFactory.instance.objectNode();
    j.put("id", id(o));
    ArrayNode routers = j.putArray("routers");
    o.routers().forEach(routers::add);
    j.put("tasks", o.tasks());
    j.put("pool", o.pool());
    j.put("seed", o.seed());
    j.put("repeats", o.repeats());
    j.put("batch", o.batch());
    j.put("effect", o.effect());
    j.put("alpha", o.alpha());
    j.put("power", o.power());
    o.budgetUsd().ifPresent(b -> j.put("budget_usd", b));
    o.maxCases().ifPresent(m -> j.put("max_cases", m));
    j.put("finished", p.finished());
    if (p.finished()) {
      j.put("stop", p.stop().name().toLowerCase(Locale.ROOT));
      j.put("stop_reason", p.stop().words);
    }
    j.put("cases_run", p.casesRun().size());
    ArrayNode cases = j.putArray("cases");
    p.casesRun().forEach(cases::add);
    ArrayNode excluded = j.putArray("excluded_cases");
    p.excluded().forEach(excluded::add);
    j.put("spend_usd", p.spendUsd());
    j.put("elapsed_seconds", p.elapsedSeconds());
    ArrayNode pairs = j.putArray("pairs");
    for (CompareRun.Pair pair : p.pairs()) {
      pairs.add(pairJson(o, pair, p.stop()));
    }
    ArrayNode arms = j.putArray("arms");
    for (int i = 0; i < o.routers().size(); i++) {
      arms.add(armJson(o, i, p.casesRun()));
    }
    return j;
  }

  static ObjectNode pairJson(CompareOptions o, CompareRun.Pair pair, CompareRun.Stop stop) {
    PairedComparison c = pair.comparison();
    PairedComparison.Standing s = c.standing();
    SequentialDesign d = c.design();
    ObjectNode j = JsonNodeFactory.instance.objectNode();
    j.put("a", o.routers().get(pair.a()));
    j.put("b", o.routers().get(pair.b()));
    j.put("decision", decision(c, stop));
    j.put("decided_by", c.decision() != Decision.CONTINUE ? "test"
        : stop == null ? "running" : stop.name().toLowerCase(Locale.ROOT));
    j.put("alpha", d.alpha());
    j.put("cases", s.cases());
    j.put("untied_cases", s.untied());
    j.put("a_better_cases", s.winsOfA());
    j.put("b_better_cases", s.untied() - s.winsOfA());
    interval(j.putObject("resolve_rate_difference"), s.resolveDifference(), d.alpha(), true);
    ObjectNode bill = j.putObject("bill_difference_usd_per_case");
    interval(bill, s.billDifference(), d.alpha(), c.billBoundHeld());
    finite(bill, "bound_usd_per_case_and_router", c.billBoundUsd());
    j.put("spend_usd", s.spendUsd());
    ObjectNode b = j.putObject("boundary");
    b.put("log_ratio_a_better", d.logRatioForA(s.untied(), s.winsOfA()));
    b.put("log_ratio_b_better", d.logRatioForA(s.untied(), s.untied() - s.winsOfA()));
    b.put("upper", d.upper());
    b.put("lower", d.lower());
    b.put("max_untied_cases", d.maxUntied());
    b.put("win_share_at_effect", d.winShare());
    plan(j.putObject("plan"), pair.plan());
    return j;
  }

  public static void plan(ObjectNode j, ComparePlan plan) {
    j.put("assumptions", plan.assumptions());
    j.put("discordance", plan.design().discordance());
    j.put("expected_cases_at_effect", plan.casesAtEffect());
    j.put("expected_cases_if_equal", plan.casesWhenEqual());
    j.put("fixed_n_cases", Math.ceil(plan.fixedCases()));
    j.put("fewest_untied_cases_to_name_a_winner", plan.design().fewestToNameAWinner());
    j.put("exact_alpha", plan.exactAlpha());
    j.put("exact_power", plan.exactPower());
    plan.expectedCostUsd().ifPresentOrElse(c -> j.put("expected_cost_usd", c),
        () -> j.putNull("expected_cost_usd"));
    plan.fixedCostUsd().ifPresentOrElse(c -> j.put("fixed_n_cost_usd", c),
        () -> j.putNull("fixed_n_cost_usd"));
  }

  private static void interval(ObjectNode j, Interval i, double alpha, boolean valid) {
    j.put("estimate", i.estimate());
    finite(j, "low", i.low());
    finite(j, "high", i.high());
    j.put("level", 1 - alpha);
    j.put("valid_under_stopping", valid);
  }

  /** JSON has no infinity: an unbounded end is null. */
  private static void finite(ObjectNode j, String field, double value) {
    if (Double.isFinite(value)) {
      j.put(field, value);
    } else {
      j.putNull(field);
    }
  }

  static ObjectNode armJson(CompareOptions o, int router, List<String> cases) {
    List<boolean[]> rows = new ArrayList<>();
    double bill = 0;
    for (String id : cases) {
      boolean[] row = new boolean[o.repeats()];
      boolean complete = true;
      for (int r = 0; r < o.repeats(); r++) {
        JsonNode result = RunOutputs.readIfPresent(RunOutputs.resultFile(o.armDir(router, r), id));
        complete &= result != null && result.isObject();
        row[r] = complete && result.path("resolved").asBoolean();
        bill += complete ? result.path("total_router_cost_usd").asDouble() : 0;
      }
      if (complete) {
        rows.add(row);
      }
    }
    RepeatSummary s = RepeatSummary.of(rows.toArray(new boolean[0][]));
    ObjectNode j = JsonNodeFactory.instance.objectNode();
    j.put("router", o.routers().get(router));
    j.put("dir", o.out().resolve(o.armName(router)).toString());
    j.put("cases", s.cases());
    j.put("repeats", o.repeats());
    j.put("resolve_rate", s.meanRate());
    j.put("pass_at_k", s.passAtK());
    j.put("pass_hat_k", s.passHatK());
    j.put("run_to_run_variance", s.runToRunVariance());
    j.put("bill_usd", bill);
    return j;
  }

  /** The lines printed at the end: the decision first, then the evidence. */
  public static List<String> lines(ObjectNode j) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : j.path("pairs")) {
      JsonNode r = p.path("resolve_rate_difference");
      JsonNode b = p.path("bill_difference_usd_per_case");
      JsonNode plan = p.path("plan");
      out.add(String.format(Locale.ROOT, "%s vs %s: %s (decided by the %s after %d cases, %d untied: "
              + "%d for A, %d for B)", p.path("a").asText(), p.path("b").asText(),
          p.path("decision").asText().toUpperCase(Locale.ROOT), p.path("decided_by").asText(),
          p.path("cases").asInt(), p.path("untied_cases").asInt(), p.path("a_better_cases").asInt(),
          p.path("b_better_cases").asInt()));
      out.add(String.format(Locale.ROOT, "  resolve rate A-B %+.3f, %.0f%% interval valid under the "
              + "stopping rule [%+.3f, %+.3f]", r.path("estimate").asDouble(),
          100 * r.path("level").asDouble(), r.path("low").asDouble(), r.path("high").asDouble()));
      out.add(String.format(Locale.ROOT, "  bill A-B per case %+.4f USD, %s [%+.4f, %+.4f]",
          b.path("estimate").asDouble(), b.path("valid_under_stopping").asBoolean()
              ? "interval valid under the stopping rule"
              : String.format(Locale.ROOT, "interval NOT valid (a bill broke the %.2f USD bound)",
                  b.path("bound_usd_per_case_and_router").asDouble()),
          b.path("low").asDouble(), b.path("high").asDouble()));
      out.add(String.format(Locale.ROOT, "  planned: %.1f cases expected at the effect, %.1f if "
              + "equal; a fixed-n McNemar design needs %.0f", plan.path("expected_cases_at_effect")
              .asDouble(), plan.path("expected_cases_if_equal").asDouble(),
          plan.path("fixed_n_cases").asDouble()));
    }
    for (JsonNode a : j.path("arms")) {
      out.add(String.format(Locale.ROOT, "%s: %d cases x %d, resolve rate %.3f, pass@k %.3f, "
              + "pass^k %.3f, run-to-run variance %.4f, bill %.4f USD", a.path("router").asText(),
          a.path("cases").asInt(), a.path("repeats").asInt(), a.path("resolve_rate").asDouble(),
          a.path("pass_at_k").asDouble(), a.path("pass_hat_k").asDouble(),
          a.path("run_to_run_variance").asDouble(), a.path("bill_usd").asDouble()));
    }
    out.add(String.format(Locale.ROOT, "stopped: %s; %d cases per router, %.4f USD spent, %.0f s",
        j.path("stop_reason").asText("running"), j.path("cases_run").asInt(),
        j.path("spend_usd").asDouble(), j.path("elapsed_seconds").asDouble()));
    return out;
  }
}
