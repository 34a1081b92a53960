package io.twinrouter.scoring.statictrack;

import io.twinrouter.bank.BankRow;
import io.twinrouter.bank.tokens.TokenizerSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything about a list of evaluated rows that does not depend on the predictions (spec 6-8):
 * trajectories in first-appearance order, their steps sorted by step_index, each step's position
 * (the last duplicate's), its previous row, whether that row's messages are a prefix, its output
 * estimate, and its cold and warm cost on every tier. Scoring a prediction set then only walks the
 * three paths and picks costs. Immutable.
 */
final class TrajectoryPlan {
  /** R positions of the steps, trajectory after trajectory, each sorted by step_index. */
  final int[] stepRpos;
  /** Trajectory t owns steps [trajStart[t], trajStart[t + 1]). */
  final int[] trajStart;
  /** R position of the trajectory's first row in R order. */
  final int[] trajFirstRpos;
  /** R position of steps[pos - 1] for each step, or -1 when pos is 0. */
  final int[] prevRpos;
  final boolean[] prefixHit;
  final int[] outTokens;
  /** Per step and tier (k * 4 + tier): the cold and warm costs and their token buckets. */
  final double[] cold;
  final double[] warm;
  final int[] total;
  final int[] pre;

  TrajectoryPlan(BankRow[] r, int[] subset, TokenizerSet tokenizers, CostModel costs) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int rpos : subset) {
      groups.computeIfAbsent(r[rpos].trajectoryKey(), k -> new ArrayList<>()).add(rpos);
    }
    int n = subset.length;
    stepRpos = new int[n];
    trajStart = new int[groups.size() + 1];
    trajFirstRpos = new int[groups.size()];
    prevRpos = new int[n];
    prefixHit = new boolean[n];
    outTokens = new int[n];
    cold = new double[n * 4];
    warm = new double[n * 4];
    total = new int[n * 4];
    pre = new int[n * 4];
    int k = 0;
    int t = 0;
    for (List<Integer> steps : groups.values()) {
      trajFirstRpos[t] = steps.get(0);
      trajStart[t] = k;
      steps.sort(Comparator.comparingLong(p -> r[p].stepIndex()));
      int[] outAt = outputEstimates(r, steps, tokenizers, costs.fallbackOutputTokens());
      for (int i = 0; i < steps.size(); i++) {
        int pos = lastPositionOf(r, steps, i);
        BankRow self = r[steps.get(i)];
        int kk = k + i;
        stepRpos[kk] = steps.get(i);
        prevRpos[kk] = pos > 0 ? steps.get(pos - 1) : -1;
        BankRow prev = pos > 0 ? r[steps.get(pos - 1)] : null;
        prefixHit[kk] = prev != null && prev.isPrefixOf(self);
        outTokens[kk] = outAt[pos];
        for (int tier = 0; tier < 4; tier++) {
          int slot = tokenizers.slot(tier);
          int all = self.promptTokens(slot);
          total[kk * 4 + tier] = all;
          cold[kk * 4 + tier] = costs.stepCost(tier, 0, 0, all, outAt[pos]);
          if (prefixHit[kk]) {
            int before = prev.promptTokens(slot);
            pre[kk * 4 + tier] = before;
            warm[kk * 4 + tier] =
                costs.stepCost(tier, 0, before, Math.max(all - before, 0), outAt[pos]);
          }
        }
      }
      k += steps.size();
      t++;
    }
    trajStart[t] = k;
  }

  int trajectoryCount() {
    return trajFirstRpos.length;
  }

  /** pos_of: the last position in the sorted steps holding the same step_index. */
  private static int lastPositionOf(BankRow[] r, List<Integer> steps, int i) {
    long step = r[steps.get(i)].stepIndex();
    int j = i;
    while (j + 1 < steps.size() && r[steps.get(j + 1)].stepIndex() == step) {
      j++;
    }
    return j;
  }

  /** Spec 7: assistant tokens of each delta at the earlier step's gold tokenizer; the average last. */
  private static int[] outputEstimates(BankRow[] r, List<Integer> steps, TokenizerSet tokenizers,
      int fallback) {
    int n = steps.size();
    int[] out = new int[n];
    long sum = 0;
    int positive = 0;
    for (int i = 0; i + 1 < n; i++) {
      BankRow cur = r[steps.get(i)];
      BankRow next = r[steps.get(i + 1)];
      out[i] = next.assistantTokensFrom(tokenizers.slot(cur.goldTierId()), cur.messageCount());
      if (out[i] > 0) {
        sum += out[i];
        positive++;
      }
    }
    out[n - 1] = positive == 0 ? fallback : (int) ((double) sum / positive);
    return out;
  }
}
