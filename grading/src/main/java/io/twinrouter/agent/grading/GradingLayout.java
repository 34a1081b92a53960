package io.twinrouter.agent.grading;

/**
 * Where the grader puts things inside the sandbox: SWE-bench's {@code /tmp/patch.diff}, and the
 * eval script beside it rather than at SWE-bench's {@code /eval.sh}, since sandbox roots are
 * read-only where possible (docs/security.md); a host run points them into a scratch directory.
 */
public record GradingLayout(String patchPath, String evalScriptPath) {
  public static final GradingLayout SWEBENCH = new GradingLayout("/tmp/patch.diff", "/tmp/eval.sh");
}
