package io.twinrouter.agent.grading;

import io.twinrouter.bank.json.PyJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One case's entry of SWE-bench's per-instance {@code report.json}, with its keys and their
 * order. {@code testsStatus} is empty when the log was not parsed (no patch, the patch or the
 * test run failed).
 */
public record ReportEntry(
    boolean patchIsNone,
    boolean patchExists,
    boolean patchSuccessfullyApplied,
    boolean resolved,
    Optional<TestsStatus> testsStatus) {

  /** A prediction that was not evaluated, or whose evaluation gave no parsable log. */
  static ReportEntry unevaluated(String patch) {
    return new ReportEntry(patch == null, patch != null, false, false, Optional.empty());
  }

  /** {@code {"<instance_id>": {...}}} as SWE-bench writes it ({@code json.dumps(indent=4)}). */
  public String toReportJson(String instanceId) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("patch_is_None", patchIsNone);
    entry.put("patch_exists", patchExists);
    entry.put("patch_successfully_applied", patchSuccessfullyApplied);
    entry.put("resolved", resolved);
    testsStatus.ifPresent(t -> entry.put("tests_status", t.toMap()));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put(instanceId, entry);
    return PyJson.dumpsValue(report, 4);
  }
}
