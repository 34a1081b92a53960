package io.twinrouter.scoring.statictrack;

import io.twinrouter.bank.BankRow;
import io.twinrouter.common.PythonRandom;
import io.twinrouter.bank.LoadedBank;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference's proportional sample (spec 3.2): largest-remainder quotas over the manifest's
 * counts, a stratified reservoir in file order, then one shuffle, all on Python's Mersenne Twister.
 */
public final class ProportionalSampler {
  private ProportionalSampler() {}

  /** The selected rows' bank indices in evaluation order, and the quotas. */
  public record Sample(int[] rowIndices, Map<String, Integer> quotas) {}

  public static Map<String, Integer> quotas(int n, Map<String, Integer> manifest) {
    if (n <= 0) {
      throw new SamplingException("--sample", null, "the sample size must be positive, got " + n);
    }
    if (manifest.isEmpty()) {
      throw new SamplingException("manifest", "sources", "the manifest has no sources");
    }
    long total = 0;
    for (int w : manifest.values()) {
      total += w;
    }
    if (total <= 0) {
      throw new SamplingException("manifest", "sources",
          "the manifest's line counts sum to " + total + ", not a positive number");
    }
    List<String> names = new ArrayList<>(manifest.keySet());
    names.sort(Comparator.naturalOrder());
    Map<String, Integer> quotas = new LinkedHashMap<>();
    List<Map.Entry<String, Double>> fracs = new ArrayList<>();
    long assigned = 0;
    for (String name : names) {
      double exact = (double) ((long) n * manifest.get(name)) / (double) total;
      int q = (int) exact;
      quotas.put(name, q);
      assigned += q;
      fracs.add(Map.entry(name, exact - q));
    }
    // stable sort by descending fraction: equal fractions keep ascending-name order
    fracs.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    long deficit = n - assigned;
    for (int i = 0; i < deficit && i < fracs.size(); i++) {
      quotas.merge(fracs.get(i).getKey(), 1, Integer::sum);
    }
    return quotas;
  }

  public static Sample sample(LoadedBank bank, SampleSpec spec) {
    Map<String, Integer> quotas = quotas(spec.n(), spec.manifestLineCounts());
    PythonRandom random = new PythonRandom(spec.seed());
    Map<String, int[]> reservoirs = new LinkedHashMap<>();
    Map<String, int[]> seenAndFilled = new LinkedHashMap<>();
    quotas.forEach((name, q) -> {
      if (q > 0) {
        reservoirs.put(name, new int[q]);
        seenAndFilled.put(name, new int[2]);
      }
    });
    for (BankRow row : bank.rows()) {
      int[] reservoir = reservoirs.get(row.benchmark());
      if (reservoir == null) {
        continue;
      }
      int[] counters = seenAndFilled.get(row.benchmark());
      counters[0]++;
      if (counters[1] < reservoir.length) {
        reservoir[counters[1]++] = row.index();
      } else {
        int j = random.randint(1, counters[0]);
        if (j <= reservoir.length) {
          reservoir[j - 1] = row.index();
        }
      }
    }
    int[] order = new int[spec.n()];
    int k = 0;
    for (Map.Entry<String, int[]> e : reservoirs.entrySet()) {
      int filled = seenAndFilled.get(e.getKey())[1];
      if (filled < e.getValue().length) {
        throw new SamplingException(bank.name(), "benchmark",
            "Not enough rows for benchmark '" + e.getKey() + "': quota " + e.getValue().length
                + ", the bank has " + filled);
      }
      System.arraycopy(e.getValue(), 0, order, k, filled);
      k += filled;
    }
    random.shuffle(order);
    return new Sample(order, quotas);
  }
}
