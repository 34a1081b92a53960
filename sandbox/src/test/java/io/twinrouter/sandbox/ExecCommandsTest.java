package io.twinrouter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecCommandsTest {

  @Test
  void wrapsTheCommandInBashUnderAKillingTimeout() {
    assertEquals(
        List.of("timeout", "--signal=KILL", "1.500s", "bash", "-lc", "ls -la"),
        ExecCommands.wrap(ExecShell.BASH_LC, "ls -la", Duration.ofMillis(1500), null));
  }

  @Test
  void stdinComesFromAFilePassedAsAnArgumentNotPastedIntoTheScript() {
    List<String> argv = ExecCommands.wrap(ExecShell.BASH_C, "git apply -", Duration.ofSeconds(60), "/tmp/.in");
    assertEquals("/tmp/.in", argv.get(4));
    assertEquals("git apply -", argv.get(6));
    assertEquals("-c", argv.get(7), "the shell form reaches the inner bash");
  }

  @Test
  void aTimeoutIsSeenFromTheKillStatusOnlyOnceTheTimeIsUp() {
    Duration t = Duration.ofSeconds(2);
    assertTrue(ExecCommands.timedOut(true, 137, Duration.ofMillis(2004), t));
    assertTrue(ExecCommands.timedOut(false, -1, Duration.ofMillis(7000), t));
    assertFalse(ExecCommands.timedOut(true, 137, Duration.ofMillis(300), t)); // OOM kill, not time
    assertFalse(ExecCommands.timedOut(true, 0, Duration.ofMillis(2004), t));
  }

  @Test
  void readsTheOomKillCounterOfCgroupV1AndV2() {
    assertEquals(2, ExecCommands.parseOomKills("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"));
    assertEquals(1, ExecCommands.parseOomKills("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n"));
    assertEquals(0, ExecCommands.parseOomKills(""));
  }

  @Test
  void refusesNonPositiveTimeoutsAndRelativePaths() {
    assertThrows(IllegalArgumentException.class, () -> ExecCommands.wrap(ExecShell.BASH_C, "true", Duration.ZERO, null));
    assertThrows(IllegalArgumentException.class, () -> ExecCommands.requireAbsolute("tmp/x"));
    assertThrows(IllegalArgumentException.class, () -> ExecCommands.requireAbsolute("/testbed/../etc"));
  }
}
