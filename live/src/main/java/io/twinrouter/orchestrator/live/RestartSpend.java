package io.twinrouter.orchestrator.live;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What failed attempts of each case spent before they were restarted. A restart re-runs the
 * case from step 0 (the runner has no journal replay yet), so this money bought nothing the
 * results show; it is still counted in the run's spend, its budget and {@code eval_summary.json}.
 */
public final class RestartSpend {
  private final Map<String, Double> byCase = new ConcurrentHashMap<>();

  void add(String caseId, double usd) {
    if (usd > 0) {
      byCase.merge(caseId, usd, Double::sum);
    }
  }

  double of(String caseId) {
    return byCase.getOrDefault(caseId, 0.0);
  }

  double total() {
    return byCase.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  Map<String, Double> byCase() {
    return Map.copyOf(byCase);
  }
}
