package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.BankRow;
import io.twinrouter.config.Tier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * One walk of the baseline, gold and predicted paths over a {@link TrajectoryPlan} (spec 8), with
 * the per-trajectory status of spec 6 and the sums of spec 9 (COSTSAVE per benchmark) and spec 10
 * (router accounting) gathered on the way, in the reference's order.
 */
final class PathWalk {
  private static final String[] PATHS = {"baseline", "gold", "pred"};

  int totalTrajectories;
  int passedTrajectories;
  int exactTrajectories;
  int rowsInPassedTrajectories;
  int evaluableSteps;
  double routerD;
  double routerN;
  /** Per benchmark, indexed by first appearance in R. */
  final double[] benchD;
  final double[] benchN;
  final double[] benchFailedRetry;
  final int[] benchSteps;
  final int[] benchFailedTrajectories;

  private PathWalk(int benchmarks) {
    benchD = new double[benchmarks];
    benchN = new double[benchmarks];
    benchFailedRetry = new double[benchmarks];
    benchSteps = new int[benchmarks];
    benchFailedTrajectories = new int[benchmarks];
  }

  /**
   * @param pred predicted tier id per R position, -1 for an error row
   * @param trace receives one line per priced step, or null
   */
  static PathWalk run(EvaluationPlan plan, TrajectoryPlan tp, int[] pred, CostModel costs,
      Consumer<ObjectNode> trace) {
    BankRow[] rows = plan.rows;
    int[] benchmarkOf = plan.benchmarkOf;
    PathWalk w = new PathWalk(plan.benchmarksByAppearance.size());
    int[] markedIn = new int[plan.benchmarksByAppearance.size()];
    long[] last = new long[12];
    boolean[] used = new boolean[12];
    int[] tiers = new int[3];
    int[] prevTiers = new int[3];
    double[] cost = new double[3];
    boolean[] warmHit = new boolean[3];
    boolean[] expired = new boolean[3];
    int ttl = costs.cacheTtlSteps();
    for (int t = 0; t < tp.trajectoryCount(); t++) {
      int from = tp.trajStart[t];
      int to = tp.trajStart[t + 1];
      boolean allPass = true;
      boolean allExact = true;
      for (int k = from; k < to; k++) {
        int p = pred[tp.stepRpos[k]];
        int g = rows[tp.stepRpos[k]].goldTierId();
        allPass &= p >= 0 && p >= g;
        allExact &= p >= 0 && p == g;
      }
      boolean passes = allPass;
      w.totalTrajectories++;
      if (passes) {
        w.passedTrajectories++;
        w.rowsInPassedTrajectories += to - from;
      }
      if (allExact) {
        w.exactTrajectories++;
      }
      java.util.Arrays.fill(used, false);
      boolean markedAnywhere = false;
      for (int k = from; k < to; k++) {
        int rpos = tp.stepRpos[k];
        int p = pred[rpos];
        if (p < 0) {
          continue;
        }
        BankRow row = rows[rpos];
        long g = row.stepIndex();
        int prev = tp.prevRpos[k];
        tiers[0] = CostModel.HIGH;
        tiers[1] = row.goldTierId();
        tiers[2] = p;
        prevTiers[0] = prev >= 0 ? CostModel.HIGH : -1;
        prevTiers[1] = prev >= 0 ? rows[prev].goldTierId() : -1;
        prevTiers[2] = prev >= 0 ? pred[prev] : -1;
        for (int path = 0; path < 3; path++) {
          int tier = tiers[path];
          int slot = path * 4 + tier;
          expired[path] = used[slot] && g - last[slot] > ttl;
          warmHit[path] = prevTiers[path] == tier && !expired[path] && tp.prefixHit[k];
          cost[path] = warmHit[path] ? tp.warm[k * 4 + tier] : tp.cold[k * 4 + tier];
        }
        for (int path = 0; path < 3; path++) {
          used[path * 4 + tiers[path]] = true;
          last[path * 4 + tiers[path]] = g;
        }
        double baseline = cost[0];
        double gold = cost[1];
        double predicted = cost[2];
        int b = benchmarkOf[rpos];
        w.evaluableSteps++;
        w.routerD += (baseline - gold);
        w.benchD[b] += baseline;
        w.benchSteps[b]++;
        if (passes) {
          w.benchN[b] += (baseline - predicted);
          w.routerN += (baseline - predicted);
        } else {
          w.benchN[b] -= predicted;
          w.routerN -= predicted;
          w.benchFailedRetry[b] += baseline;
          if (markedIn[b] != t + 1) {
            markedIn[b] = t + 1;
            w.benchFailedTrajectories[b]++;
          }
          markedAnywhere = true;
        }
        if (trace != null) {
          trace.accept(traceLine(row, tp, k, passes, tiers, prevTiers, expired, warmHit, cost));
        }
      }
      if (!passes && !markedAnywhere) {
        // a trajectory of error rows only: charged to the benchmark of its first row in R
        w.benchFailedTrajectories[benchmarkOf[tp.trajFirstRpos[t]]]++;
      }
    }
    return w;
  }

  private static ObjectNode traceLine(BankRow row, TrajectoryPlan tp, int k, boolean passes,
      int[] tiers, int[] prevTiers, boolean[] expired, boolean[] warmHit, double[] cost) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode line = f.objectNode();
    line.put("id", row.id());
    line.put("benchmark", row.benchmark());
    line.set("instance_id", instanceId(row));
    line.put("step_index", row.stepIndex());
    line.put("trajectory_passed", passes);
    line.put("output_tokens", tp.outTokens[k]);
    for (int path = 0; path < 3; path++) {
      int tier = tiers[path];
      ObjectNode p = line.putObject(PATHS[path]);
      p.put("tier", Tier.fromId(tier).wireName());
      if (prevTiers[path] < 0) {
        p.putNull("prev_tier");
      } else {
        p.put("prev_tier", Tier.fromId(prevTiers[path]).wireName());
      }
      p.put("cache_expired", expired[path]);
      p.put("n_in", 0);
      int total = tp.total[k * 4 + tier];
      int pre = tp.pre[k * 4 + tier];
      p.put("cache_read", warmHit[path] ? pre : 0);
      p.put("cache_write", warmHit[path] ? Math.max(total - pre, 0) : total);
      p.put("output", tp.outTokens[k]);
      p.put("cost_usd", cost[path]);
      p.put("kind", kind(prevTiers[path], tier, expired[path], tp.prefixHit[k]));
    }
    return line;
  }

  private static String kind(int prevTier, int tier, boolean expired, boolean prefix) {
    if (prevTier < 0) {
      return "cold_first_or_prev_unpriced";
    }
    if (prevTier != tier) {
      return "cold_tier_switch";
    }
    if (expired) {
      return "cold_ttl_expired";
    }
    return prefix ? "warm_prefix_hit" : "cold_prefix_mismatch";
  }

  private static JsonNode instanceId(BankRow row) {
    try {
      return StaticScorer.JSON.readTree(row.trajectoryKey());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
