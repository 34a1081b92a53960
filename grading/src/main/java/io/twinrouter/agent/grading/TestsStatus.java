package io.twinrouter.agent.grading;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tests_status} part of SWE-bench's report: for each group of the task's tests, the
 * ones that succeeded and failed. FAIL_TO_FAIL and PASS_TO_FAIL stay empty, as in SWE-bench's
 * default (it computes them only on request).
 */
public record TestsStatus(Split failToPass, Split passToPass, Split failToFail, Split passToFail) {

  /** Tests of one group; a test in neither list (SKIPPED, or an unknown status) is not counted. */
  public record Split(List<String> success, List<String> failure) {
    public Split {
      success = List.copyOf(success);
      failure = List.copyOf(failure);
    }

    static final Split EMPTY = new Split(List.of(), List.of());

    /** successes / (successes + failures), 1 when nothing is counted ({@code compute_*}). */
    public double rate() {
      int total = success.size() + failure.size();
      return total == 0 ? 1.0 : (double) success.size() / total;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("success", success);
      m.put("failure", failure);
      return m;
    }
  }

  /** {@code get_resolution_status}. */
  public ResolvedStatus resolution() {
    double f2p = failToPass.rate();
    double p2p = passToPass.rate();
    if (f2p == 1 && p2p == 1) {
      return ResolvedStatus.FULL;
    }
    if (f2p < 1 && f2p > 0 && p2p == 1) {
      return ResolvedStatus.PARTIAL;
    }
    return ResolvedStatus.NO;
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("FAIL_TO_PASS", failToPass.toMap());
    m.put("PASS_TO_PASS", passToPass.toMap());
    m.put("FAIL_TO_FAIL", failToFail.toMap());
    m.put("PASS_TO_FAIL", passToFail.toMap());
    return m;
  }
}
