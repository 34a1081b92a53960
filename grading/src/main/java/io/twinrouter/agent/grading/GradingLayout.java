package io.twinrouter.agent.grading;

/**
 * Where the grader puts things inside the sandbox: SWE-bench uses {@code /tmp/patch.diff} and
 * {@code /eval.sh}; a local run points them into a scratch directory.
 */
public record GradingLayout(String patchPath, String evalScriptPath) {
  public static final GradingLayout SWEBENCH = new GradingLayout("/tmp/patch.diff", "/eval.sh");
}
