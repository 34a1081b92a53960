package io.twinrouter.agent.grading;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The verdict on one prediction and what SWE-bench would have left in its log directory.
 *
 * @param appliedWith the command that applied the model patch (e.g. {@code git apply --verbose}),
 *     empty when none did or none was tried
 * @param applyLog output of each apply attempt, in order
 * @param evalScript the script run, or empty when the tests did not run
 * @param testOutput the eval script's merged output ({@code test_output.txt}), or empty
 * @param statuses the parsed test statuses (empty map when the log was not parsed)
 * @param detail one line on why the case is not resolved, or empty
 */
public record GradingResult(
    String instanceId,
    GradingOutcome outcome,
    ReportEntry report,
    Optional<String> appliedWith,
    String applyLog,
    Optional<String> evalScript,
    Optional<String> testOutput,
    Map<String, String> statuses,
    Optional<String> detail,
    Duration testDuration) {

  public GradingResult {
    statuses = Collections.unmodifiableMap(new LinkedHashMap<>(statuses));
  }

  public boolean resolved() {
    return report.resolved();
  }

  public boolean patchApplied() {
    return report.patchSuccessfullyApplied();
  }

  /** The per-case {@code report.json} text. */
  public String reportJson() {
    return report.toReportJson(instanceId);
  }
}
