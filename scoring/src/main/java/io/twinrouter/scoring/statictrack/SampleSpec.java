package io.twinrouter.scoring.statictrack;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A proportional sample (spec 3.2): {@code n} rows, the seed of Python's generator, and the
 * manifest's per-benchmark line counts that set the quotas (the official manifest, whatever bank
 * is scored, unless the user passes another).
 */
public record SampleSpec(int n, long seed, Map<String, Integer> manifestLineCounts) {

  public SampleSpec {
    manifestLineCounts = Collections.unmodifiableMap(new TreeMap<>(manifestLineCounts));
  }
}
