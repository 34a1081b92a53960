package io.twinrouter.scoring.live;

import java.util.Optional;
import java.util.Set;

/**
 * Options of live scoring.
 *
 * @param failurePenaltyUsd the per-case penalty of an unresolved case (0.60 by default)
 * @param fixedPenaltyOverride when present, replaces the penalty and is echoed in score.json
 * @param excludeInfraFailures keep infrastructure failures out of the headline totals
 * @param allowlist when present, only these instance ids count
 */
public record ScoreOptions(
    double failurePenaltyUsd,
    Optional<Double> fixedPenaltyOverride,
    boolean excludeInfraFailures,
    Optional<Set<String>> allowlist) {

  public static ScoreOptions defaults(double failurePenaltyUsd) {
    return new ScoreOptions(failurePenaltyUsd, Optional.empty(), false, Optional.empty());
  }

  double penalty() {
    return fixedPenaltyOverride.orElse(failurePenaltyUsd);
  }
}
