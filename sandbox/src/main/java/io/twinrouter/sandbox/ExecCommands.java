package io.twinrouter.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command lines an exec runs inside a sandbox: {@code bash -c COMMAND} or {@code bash -lc
 * COMMAND} ({@link ExecShell}) in the working
 * directory under coreutils {@code timeout --signal=KILL} (which kills its whole process group, so
 * the command dies and not just the wait), with an environment marker by which stragglers that
 * left the group are found and killed too.
 */
public final class ExecCommands {
  private ExecCommands() {}

  /** Environment variable carrying the id of the exec that started a process. */
  public static final String MARKER_VAR = "TWINROUTER_EXEC";

  private static final Pattern OOM_KILL = Pattern.compile("(?m)^oom_kill (\\d+)$");

  /** Reads the memory cgroup's OOM-kill counter (cgroup v1, then v2) from inside a container. */
  public static final String OOM_COUNTER_SCRIPT =
      "cat /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory.events 2>/dev/null; true";

  public static String stdinPath(String marker) {
    return "/tmp/.twinrouter-stdin-" + marker;
  }

  /** The argv of one exec; {@code stdinFile} (nullable) becomes its standard input. */
  public static List<String> wrap(ExecShell shell, String command, Duration timeout,
      String stdinFile) {
    String secs = seconds(timeout);
    if (stdinFile == null) {
      return List.of("timeout", "--signal=KILL", secs, "bash", shell.flag(), command);
    }
    return List.of(
        "bash",
        "-c",
        "exec <\"$1\" && rm -f \"$1\" && exec timeout --signal=KILL \"$2\" bash \"$4\" \"$3\"",
        "twinrouter-exec",
        stdinFile,
        secs,
        command,
        shell.flag());
  }

  public static String seconds(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("exec timeout must be positive: " + timeout);
    }
    return String.format(Locale.ROOT, "%.3fs", timeout.toMillis() / 1000.0);
  }

  /**
   * Whether an exec ran into its timeout: the wait gave up, or the in-container {@code timeout}
   * killed the group (exit 137, or 124) once the time was up.
   */
  public static boolean timedOut(boolean finished, int exit, Duration elapsed, Duration timeout) {
    return !finished || (elapsed.compareTo(timeout) >= 0 && (exit == 137 || exit == 124));
  }

  /** A POSIX sh script that SIGKILLs every process whose environment holds the marker. */
  public static String killMarkedScript(String marker) {
    if (!marker.matches("[0-9a-f-]+")) {
      throw new IllegalArgumentException("bad exec marker " + marker);
    }
    return "for d in /proc/[0-9]*; do "
        + "if grep -qsxzF '" + MARKER_VAR + "=" + marker + "' \"$d/environ\"; then "
        + "kill -9 \"${d#/proc/}\" 2>/dev/null; fi; done; true";
  }

  /** The OOM-kill count in the output of {@link #OOM_COUNTER_SCRIPT} (0 when absent). */
  public static long parseOomKills(String counters) {
    long max = 0;
    Matcher m = OOM_KILL.matcher(counters);
    while (m.find()) {
      max = Math.max(max, Long.parseLong(m.group(1)));
    }
    return max;
  }

  public static String oomMessage(long memoryBytes) {
    return "\n[twinrouter: killed by the out-of-memory killer: the sandbox memory limit of "
        + mib(memoryBytes) + " was exceeded]\n";
  }

  public static String sigkillMessage(long memoryBytes) {
    return "\n[twinrouter: killed by SIGKILL (exit 137); a likely cause is the sandbox memory limit of "
        + mib(memoryBytes) + "]\n";
  }

  private static String mib(long bytes) {
    return bytes <= 0 ? "(none)" : (bytes / (1024 * 1024)) + " MiB";
  }

  public static void requireAbsolute(String sandboxPath) {
    if (sandboxPath == null || !sandboxPath.startsWith("/") || sandboxPath.length() < 2
        || sandboxPath.contains("/../") || sandboxPath.endsWith("/..")) {
      throw new IllegalArgumentException("sandbox path must be absolute and plain: " + sandboxPath);
    }
  }
}
