package io.twinrouter.scoring.statictrack;

import io.twinrouter.bank.BankRow;
import io.twinrouter.bank.LoadedBank;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The evaluated rows R (all rows in file order, or a proportional sample in its shuffled order)
 * and the prediction-independent plans over them: one for all of R and one per benchmark's
 * subset (by_benchmark regroups trajectories inside each benchmark). Built once per bank, sample
 * and price list, then shared by every scoring call.
 */
final class EvaluationPlan {
  final BankRow[] rows;
  /** null in full-bank mode. */
  final Map<String, Integer> quotas;
  /** Benchmarks in order of first appearance in R (scores_v2.by_benchmark). */
  final List<String> benchmarksByAppearance;
  /** Index into benchmarksByAppearance for every R position. */
  final int[] benchmarkOf;
  /** 0 .. |R|-1. */
  final int[] allRpos;
  final TrajectoryPlan all;
  /** Ascending by name, with each subset's R positions. */
  final Map<String, int[]> subsetRpos;
  final Map<String, TrajectoryPlan> subsets;

  EvaluationPlan(LoadedBank bank, int[] rowIndices, Map<String, Integer> quotas, CostModel costs) {
    this.quotas = quotas;
    rows = new BankRow[rowIndices.length];
    for (int i = 0; i < rowIndices.length; i++) {
      rows[i] = bank.row(rowIndices[i]);
    }
    Map<String, Integer> appearance = new LinkedHashMap<>();
    Map<String, List<Integer>> members = new TreeMap<>();
    benchmarkOf = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      String b = rows[i].benchmark();
      benchmarkOf[i] = appearance.computeIfAbsent(b, x -> appearance.size());
      members.computeIfAbsent(b, x -> new ArrayList<>()).add(i);
    }
    benchmarksByAppearance = List.copyOf(appearance.keySet());
    allRpos = IntStream.range(0, rows.length).toArray();
    all = new TrajectoryPlan(rows, allRpos, bank.tokenizers(), costs);
    subsetRpos = new LinkedHashMap<>();
    subsets = new LinkedHashMap<>();
    members.forEach((b, list) -> {
      int[] subset = list.stream().mapToInt(Integer::intValue).toArray();
      subsetRpos.put(b, subset);
      subsets.put(b, new TrajectoryPlan(rows, subset, bank.tokenizers(), costs));
    });
  }

  static EvaluationPlan fullBank(LoadedBank bank, CostModel costs) {
    return new EvaluationPlan(bank, IntStream.range(0, bank.rowCount()).toArray(), null, costs);
  }

  static EvaluationPlan sampled(LoadedBank bank, SampleSpec spec, CostModel costs) {
    ProportionalSampler.Sample s = ProportionalSampler.sample(bank, spec);
    return new EvaluationPlan(bank, s.rowIndices(), s.quotas(), costs);
  }
}
