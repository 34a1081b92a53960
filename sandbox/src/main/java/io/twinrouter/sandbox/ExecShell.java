package io.twinrouter.sandbox;

import java.util.List;

/**
 * The shell a sandbox runs each command in: {@code bash -c} (what mini-swe-agent's SWE-bench
 * config asks for: the image's environment as it is) or {@code bash -lc} (a login shell, which
 * reads {@code /etc/profile} and the user's profile first, mini-swe-agent's default).
 */
public enum ExecShell {
  BASH_C("-c"),
  BASH_LC("-lc");

  private final String flag;

  ExecShell(String flag) {
    this.flag = flag;
  }

  /** The flag given to {@code bash} before the command. */
  public String flag() {
    return flag;
  }

  /** The interpreter as mini-swe-agent's configs write it. */
  public List<String> interpreter() {
    return List.of("bash", flag);
  }

  /** @throws IllegalArgumentException for any interpreter but {@code [bash, -c]}, {@code [bash, -lc]} */
  public static ExecShell of(List<?> interpreter) {
    for (ExecShell s : values()) {
      if (s.interpreter().equals(interpreter)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unsupported interpreter " + interpreter
        + " (supported: [bash, -c] and [bash, -lc])");
  }
}
