package io.twinrouter.scoring.statictrack;

import io.twinrouter.config.Rates;
import io.twinrouter.config.StaticTrackSettings;
import io.twinrouter.config.Tier;

/** The static track's prices and constants, as flat arrays indexed by tier id. */
record CostModel(double[] input, double[] cacheRead, double[] cacheWrite, double[] output,
    int cacheTtlSteps, int fallbackOutputTokens, int nominalCompletionTokens) {

  static final int HIGH = Tier.HIGH.id();

  static CostModel of(StaticTrackSettings s) {
    double[] in = new double[4];
    double[] cr = new double[4];
    double[] cw = new double[4];
    double[] out = new double[4];
    for (Tier t : Tier.values()) {
      Rates r = s.rates(t);
      in[t.id()] = r.input();
      cr[t.id()] = r.cacheRead();
      cw[t.id()] = r.cacheWrite();
      out[t.id()] = r.output();
    }
    return new CostModel(in, cr, cw, out, s.cacheTtlSteps(), s.fallbackOutputTokens(),
        s.nominalCompletionTokens());
  }

  /** Spec 8: ((((n_in·p_in + cr·p_cr) + cw·p_cw) + out·p_out) / 1e6, in exactly this order. */
  double stepCost(int tier, long nIn, long cacheReadTokens, long cacheWriteTokens, long out) {
    return Rates.costUsd(nIn, input[tier], cacheReadTokens, cacheRead[tier], cacheWriteTokens,
        cacheWrite[tier], out, output[tier]);
  }

  /** Spec 11: the nominal output-only cost of one step on a tier. */
  double nominal(int tier) {
    return ((double) nominalCompletionTokens * output[tier]) / 1000000;
  }

  /** Identity for plan caching: plans depend on the prices and the fallback output only. */
  String key() {
    return java.util.Arrays.toString(input) + java.util.Arrays.toString(cacheRead)
        + java.util.Arrays.toString(cacheWrite) + java.util.Arrays.toString(output)
        + "/" + fallbackOutputTokens;
  }
}
