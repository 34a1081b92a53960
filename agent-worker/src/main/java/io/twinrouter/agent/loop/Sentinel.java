package io.twinrouter.agent.loop;

import io.twinrouter.sandbox.ExecResult;
import java.util.Optional;

/**
 * The submission rule (live-track spec 7.3): a command whose output's first non-blank line is
 * exactly the sentinel and whose exit code is 0 submits everything after that line.
 */
public final class Sentinel {

  public static final String SUBMIT = "COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT";

  private Sentinel() {}

  public static Optional<String> submission(ExecResult result) {
    if (result.exitCode() != 0) {
      return Optional.empty();
    }
    String out = result.combinedOutput().stripLeading();
    int eol = lineEnd(out);
    String first = out.substring(0, eol);
    if (!first.strip().equals(SUBMIT)) {
      return Optional.empty();
    }
    return Optional.of(out.substring(afterLineBreak(out, eol)));
  }

  private static int lineEnd(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        return i;
      }
    }
    return s.length();
  }

  private static int afterLineBreak(String s, int eol) {
    if (eol < s.length() && s.charAt(eol) == '\r' && eol + 1 < s.length()
        && s.charAt(eol + 1) == '\n') {
      return eol + 2;
    }
    return Math.min(eol + 1, s.length());
  }
}
