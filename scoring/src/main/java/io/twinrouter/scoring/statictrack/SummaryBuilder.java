package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/** Assembles the reference summary (spec 9-13) from the paths walked over a plan. */
final class SummaryBuilder {
  static final String SCORES_V2_NOTE = "cost_savings_score_percent is macro-averaged across "
      + "benchmarks by each benchmark's total row count (same scope as case_pass_rate). All gold "
      + "tiers are included; D_b = Σ baseline_cost over every evaluable step. Numerator is "
      + "trajectory-level: passed trajectories (no error AND every step pred>=gold) contribute "
      + "N_b += baseline_cost - pred_cost per step; failed trajectories contribute N_b -= "
      + "pred_cost per step, which under D = Σ baseline encodes the failed-trajectory user bill "
      + "= Σ pred_cost + Σ baseline_cost (router's chain wasted + one full always-high re-run of "
      + "every step). No additional retry penalty is applied on top. "
      + "trajectory_pass_rate_percent uses row-weighted denominator: a row counts toward the "
      + "numerator iff its entire trajectory passes.";
  static final String SECTION_11_FORMULA =
      "save_gt = baseline.cost - optimal_path.cost per §11.2 (nominal USD)";
  static final String SECTION_11_NOTE = "Sums are nominal USD under uniform T per step. If real "
      + "completion_tokens v_i vary by case, §11.2 uses v_i in each cost; ratio equals current "
      + "only when all v_i are equal.";
  static final String ACCOUNTING_NOTE = "100 * N / D; trajectory-level pass/fail. Pass: N += "
      + "baseline_cost - pred_cost; Fail: N -= pred_cost.";
  static final String ACCOUNTING_NO_TRAJECTORIES = "No trajectories.";
  static final String ACCOUNTING_NO_SAVINGS =
      "D == 0: no nominal savings vs always-high (e.g. all gold high).";

  private final EvaluationPlan plan;
  private final int[] pred;
  private final String[] errors;
  private final CostModel costs;

  SummaryBuilder(EvaluationPlan plan, int[] pred, String[] errors, CostModel costs) {
    this.plan = plan;
    this.pred = pred;
    this.errors = errors;
    this.costs = costs;
  }

  ObjectNode build(String label, String shard, long seed, Consumer<ObjectNode> trace) {
    int n = plan.rows.length;
    RowCounts all = counts(plan.allRpos);
    ObjectNode s = StaticScorer.object();
    s.put("classifier", label);
    s.put("shard", shard);
    s.put("sample_mode", plan.quotas == null ? "full_bank" : "proportional_sample");
    s.put("sampled", n);
    s.put("seed", seed);
    if (plan.quotas == null) {
      s.putNull("proportional_quotas");
    } else {
      ObjectNode q = s.putObject("proportional_quotas");
      plan.quotas.forEach(q::put);
    }
    ObjectNode counts = s.putObject("benchmark_counts");
    plan.subsetRpos.forEach((b, rpos) -> counts.put(b, rpos.length));
    s.put("exact_match", all.exact);
    double accuracy = ratio(all.exact, n - all.errors);
    s.put("tier_match_accuracy", accuracy);
    s.put("accuracy_excluding_errors", accuracy);
    s.put("api_errors", all.errors);
    s.put("valid_response_rate", ratio(n - all.errors, n));
    PathWalk walk = PathWalk.run(plan, plan.all, pred, costs, trace);
    s.set("scores_v2", scoresV2(all, walk));
    s.set("section_11", section11(plan.allRpos));
    s.set("router_accounting", routerAccounting(walk, all.errors));
    ObjectNode byBenchmark = s.putObject("by_benchmark");
    plan.subsets.forEach((b, tp) -> byBenchmark.set(b, benchmark(b, tp)));
    ArrayNode list = s.putArray("errors");
    for (int i = 0; i < n; i++) {
      if (errors[i] != null) {
        ObjectNode e = list.addObject();
        e.put("id", plan.rows[i].id());
        e.put("error", errors[i]);
      }
    }
    return s;
  }

  private record RowCounts(int rows, int errors, int exact, int pass) {}

  /** Counts over some R positions (all of R, or one benchmark's subset). */
  private RowCounts counts(int[] subset) {
    int rows = 0;
    int errorRows = 0;
    int exact = 0;
    int pass = 0;
    for (int i : subset) {
      rows++;
      if (pred[i] < 0) {
        errorRows++;
        continue;
      }
      int gold = plan.rows[i].goldTierId();
      if (pred[i] == gold) {
        exact++;
      }
      if (pred[i] >= gold) {
        pass++;
      }
    }
    return new RowCounts(rows, errorRows, exact, pass);
  }

  private ObjectNode scoresV2(RowCounts all, PathWalk w) {
    int n = all.rows;
    double rowPass = percent(all.pass, n);
    double rowExact = percent(all.exact, n);
    double trajPass = percent(w.rowsInPassedTrajectories, n);
    int benchmarks = plan.benchmarksByAppearance.size();
    int[] rowCount = new int[benchmarks];
    for (int b : plan.benchmarkOf) {
      rowCount[b]++;
    }
    double costSave = 0.0;
    boolean anyTerm = false;
    ObjectNode details = StaticScorer.object();
    for (int b = 0; b < benchmarks; b++) {
      double score = w.benchD[b] > 0 ? (100.0 * w.benchN[b]) / w.benchD[b] : Double.NaN;
      double weight = n == 0 ? Double.NaN : (double) rowCount[b] / n;
      if (!Double.isNaN(score)) {
        costSave += weight * score;
        anyTerm = true;
      }
      ObjectNode d = details.putObject(plan.benchmarksByAppearance.get(b));
      d.put("row_count", rowCount[b]);
      d.put("step_count", w.benchSteps[b]);
      d.put("failed_trajectory_count", w.benchFailedTrajectories[b]);
      d.put("failed_retry_baseline_usd", w.benchFailedRetry[b]);
      d.put("D_usd", w.benchD[b]);
      d.put("N_usd", w.benchN[b]);
      d.put("cost_savings_score_percent", score);
      d.put("weight_in_global_cost_savings", weight);
    }
    if (!anyTerm || n == 0) {
      costSave = Double.NaN;
    }
    ObjectNode v2 = StaticScorer.object();
    v2.put("case_pass_rate_percent", rowPass);
    v2.put("case_exact_match_percent", rowExact);
    v2.put("trajectory_pass_rate_percent", trajPass);
    v2.put("cost_savings_score_percent", costSave);
    v2.put("combined_score_percent", (((rowPass + rowExact) + trajPass) + costSave) / 4);
    v2.put("total_rows", n);
    v2.put("error_rows", all.errors);
    v2.put("case_pass_count", all.pass);
    v2.put("case_exact_count", all.exact);
    v2.put("total_trajectories", w.totalTrajectories);
    v2.put("passed_trajectories", w.passedTrajectories);
    v2.put("rows_in_passed_trajectories", w.rowsInPassedTrajectories);
    v2.set("by_benchmark", details);
    v2.put("note", SCORES_V2_NOTE);
    return v2;
  }

  /** Spec 11 over some R positions, in row order. */
  private ObjectNode section11(int[] subset) {
    double baseline = costs.nominal(CostModel.HIGH);
    int total = 0;
    int passed = 0;
    int cases = 0;
    double sumGold = 0.0;
    double sumTest = 0.0;
    for (int i : subset) {
      total++;
      if (pred[i] < 0) {
        continue;
      }
      int gold = plan.rows[i].goldTierId();
      if (pred[i] >= gold) {
        passed++;
        double saveGold = baseline - costs.nominal(gold);
        double saveTest = baseline - costs.nominal(pred[i]);
        if (saveGold > 0) {
          sumGold += saveGold;
          sumTest += saveTest;
          cases++;
        }
      }
    }
    ObjectNode s = StaticScorer.object();
    s.put("pass_rate", ratio(passed, total));
    s.put("passed", passed);
    s.put("total", total);
    s.put("cost_savings_score", sumGold > 0 ? (100.0 * sumTest) / sumGold : Double.NaN);
    s.put("cost_score_cases_used", cases);
    s.put("sum_save_gt_usd", sumGold);
    s.put("sum_save_test_usd", sumTest);
    s.put("assumed_completion_tokens_per_routing_step", costs.nominalCompletionTokens());
    s.put("baseline_tier", StaticScorer.tierName(CostModel.HIGH));
    s.put("baseline_nominal_cost_per_step_usd", baseline);
    s.put("cost_formula", SECTION_11_FORMULA);
    s.put("note", SECTION_11_NOTE);
    return s;
  }

  private ObjectNode routerAccounting(PathWalk w, int errorRows) {
    ObjectNode a = StaticScorer.object();
    int total = w.totalTrajectories;
    double passRate = percent(w.passedTrajectories, total);
    double exactRate = percent(w.exactTrajectories, total);
    double savings;
    String note;
    if (w.routerD > 0) {
      savings = (100.0 * w.routerN) / w.routerD;
      note = ACCOUNTING_NOTE;
    } else if (total == 0) {
      savings = Double.NaN;
      note = ACCOUNTING_NO_TRAJECTORIES;
    } else {
      savings = Double.NaN;
      note = ACCOUNTING_NO_SAVINGS;
    }
    a.put("total_trajectories", total);
    a.put("passed_trajectories", w.passedTrajectories);
    a.put("exact_match_trajectories", w.exactTrajectories);
    a.put("evaluable_step_count", w.evaluableSteps);
    a.put("skipped_step_count", errorRows);
    a.put("D_usd", w.routerD);
    a.put("N_usd", w.routerN);
    a.put("pass_rate_percent", passRate);
    a.put("exact_match_rate_percent", exactRate);
    a.put("accounting_savings_score_percent", savings);
    a.put("overall_score_percent", ((passRate + exactRate) + savings) / 3.0);
    a.put("fallback_output_tokens", costs.fallbackOutputTokens());
    a.put("note", note);
    return a;
  }

  private ObjectNode benchmark(String name, TrajectoryPlan tp) {
    int[] subset = plan.subsetRpos.get(name);
    RowCounts c = counts(subset);
    ObjectNode section11 = section11(subset);
    ObjectNode b = StaticScorer.object();
    b.put("sampled", c.rows);
    b.put("exact_match", c.exact);
    b.put("api_errors", c.errors);
    b.put("tier_match_accuracy", ratio(c.exact, c.rows - c.errors));
    b.put("valid_response_rate", ratio(c.rows - c.errors, c.rows));
    b.set("pass_rate", section11.get("pass_rate"));
    b.set("passed", section11.get("passed"));
    b.set("cost_savings_score", section11.get("cost_savings_score"));
    b.set("cost_score_cases_used", section11.get("cost_score_cases_used"));
    b.set("router_accounting", routerAccounting(PathWalk.run(plan, tp, pred, costs, null),
        c.errors));
    return b;
  }

  private static double percent(int part, int whole) {
    return whole == 0 ? Double.NaN : (100.0 * part) / whole;
  }

  private static double ratio(int part, int whole) {
    return whole == 0 ? Double.NaN : (double) part / whole;
  }
}
