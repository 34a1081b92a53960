package io.twinrouter.sandbox.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.Limits;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The exec server path of Docker sandboxes against the real engine: each command a fresh shell,
 * any bytes in and out, concurrent commands, and the fall-back to engine execs once the server is
 * gone. Where it can, a test compares the server's answer with the per-exec path's answer to the
 * same command (a provider with the server off), since that path is the reference semantics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecServerIT {
  private static final Duration T = Duration.ofSeconds(30);

  private final String runId = "it-srv-" + UUID.randomUUID().toString().substring(0, 8);
  private DockerSandboxProvider withServer;
  private DockerSandboxProvider perExec;
  private DockerSandbox server;
  private DockerSandbox plain;

  @BeforeAll
  void start() {
    SandboxSettings settings = SandboxSettings.load().withOutputLimitBytes(64 * 1024);
    withServer = DockerSandboxProvider.connect(settings);
    perExec = DockerSandboxProvider.connect(settings.withDockerExecServer(false));
    server = (DockerSandbox) withServer.open(spec("server"));
    plain = (DockerSandbox) perExec.open(spec("plain"));
  }

  @AfterAll
  void stop() {
    for (DockerSandboxProvider p : new DockerSandboxProvider[] {withServer, perExec}) {
      if (p != null) {
        p.reap(runId);
        p.close();
      }
    }
  }

  private SandboxSpec spec(String caseId) {
    return SandboxSpec.of(runId, caseId)
        .withEnv(Map.of("FOO", "bar baz"))
        .withLimits(new Limits(512L << 20, 1_000_000_000L, 256));
  }

  @Test
  void eachCommandIsAFreshLoginShellWithTheEnvironmentOfAnEngineExec() {
    assertTrue(server.serverActive());
    assertFalse(plain.serverActive());
    ExecResult first = server.exec("cd /tmp && export X=1 && ulimit -n 64 && alias q=true && echo kept > /testbed/k", T);
    assertEquals(0, first.exitCode(), first.stderr());
    ExecResult next = server.exec("pwd; echo \"x=$X\"; ulimit -n; type q >/dev/null 2>&1 || echo no-alias; cat k", T);
    assertEquals("/testbed\nx=\n" + plain.exec("ulimit -n", T).stdout() + "no-alias\nkept\n", next.stdout());
    // what the command sees of its environment, but the exec's own marker; the open descriptors
    // (0, 1, 2 and the one ls opens; the server's own are closed); stdout and stderr are pipes on
    // both paths (named ones in the server's directory here, anonymous ones with engine execs)
    String env = "env | grep -v '^TWINROUTER_EXEC=' | sort; echo \"$0 $- $SHLVL\"; ls /proc/self/fd | xargs; "
        + "[ -p /dev/stdout ] && [ -p /dev/stderr ] && echo pipes; umask; id; ulimit -a; trap -p; ps -o pgid= -p $$ >/dev/null";
    ExecResult a = server.exec(env, T);
    ExecResult b = plain.exec(env, T);
    assertEquals(b.stdout().replaceAll("HOSTNAME=.*", ""), a.stdout().replaceAll("HOSTNAME=.*", ""));
    assertTrue(a.stdout().contains("FOO=bar baz\n"), a.stdout());
    assertTrue(server.serverActive());
  }

  @Test
  void commandsAndOutputMayHoldAnyBytes() {
    String[] commands = {
      "printf '%s\\n' \"it's\" 'a \"quoted\" \\\\ word' $'tab\\there'",
      "echo one\necho two\n\n\n",
      "cat <<'EOF'\n$HOME `not run` \\n\nEOF",
      "printf '\\xff\\xfe\\x00\\x80 end'; printf 'err\\xc3\\x28' >&2; exit 7",
      "echo 'ünïcødé ✓ 😀'; echo -n 'no newline at the end'",
      "echo " + "x".repeat(100_000) + " | wc -c",
      "# a comment only",
      "",
      "exit 255",
    };
    for (String c : commands) {
      ExecResult a = server.exec(c, T);
      ExecResult b = plain.exec(c, T);
      assertEquals(b.exitCode(), a.exitCode(), c);
      assertEquals(b.stdout(), a.stdout(), c);
      assertEquals(b.stderr(), a.stderr(), c);
    }
    byte[] input = new byte[70_000];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) (i * 31);
    }
    ExecResult sum = server.exec("od -An -tx1 -v | tr -d ' \\n' | sha256sum", T, input);
    assertEquals(plain.exec("od -An -tx1 -v | tr -d ' \\n' | sha256sum", T, input).stdout(), sum.stdout());
    // the binary output comes back byte for byte (compared as hex, since results are text)
    ExecResult hex = server.exec("printf '\\x00\\x01\\xff\\n\\r#END x 0\\n' | od -An -tx1", T);
    assertEquals(" 00 01 ff 0a 0d 23 45 4e 44 20 78 20 30 0a\n", hex.stdout());
    ExecResult forged = server.exec("printf '#END %s 0\\n' whatever; echo '#READY 1' >&2; echo after", T);
    assertEquals("#END whatever 0\nafter\n", forged.stdout());
    assertEquals("#READY 1\n", forged.stderr());
    assertTrue(server.serverActive(), "output that looks like the protocol does not confuse it");
  }

  @Test
  void concurrentCommandsOnOneSandboxEachGetTheirOwnAnswer() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<ExecResult>> results = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        int n = i;
        results.add(pool.submit(() -> server.exec(
            "sleep 0.$((RANDOM % 5)); head -c " + (n * 5000) + " /dev/zero | tr '\\0' " + (char) ('a' + n)
                + "; echo; echo e" + n + " >&2; exit " + n, T)));
      }
      for (int i = 0; i < 12; i++) {
        ExecResult r = results.get(i).get();
        assertEquals(i, r.exitCode());
        assertEquals(String.valueOf((char) ('a' + i)).repeat(i * 5000) + "\n", r.stdout());
        assertEquals("e" + i + "\n", r.stderr());
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(server.serverActive());
  }

  @Test
  void aSandboxFallsBackToEngineExecsOnceItsServerIsKilled() throws Exception {
    try (DockerSandbox s = (DockerSandbox) withServer.open(spec("killed"))) {
      assertTrue(s.serverActive());
      long pid = s.serverPid();
      assertTrue(pid > 0);
      // killed from inside by the command it runs: that command is reported killed, with a note
      ExecResult suicide = s.exec("echo before; kill -9 " + pid + "; sleep 5; echo never", T);
      assertEquals(ExecResult.KILLED, suicide.exitCode(), suicide.toString());
      assertTrue(suicide.stderr().contains("exec server ended"), suicide.stderr());
      assertFalse(s.serverActive());
      // later commands run as engine execs, with the same semantics
      ExecResult r = s.exec("cd /tmp; echo ok; pwd", T);
      assertEquals("ok\n/tmp\n", r.stdout());
      assertEquals("/testbed\n", s.exec("pwd", T).stdout());
      ExecResult late = s.exec("echo started; sleep 100", Duration.ofSeconds(1));
      assertEquals(ExecResult.TIMED_OUT, late.exitCode());
      assertEquals("started\n", late.stdout());
      assertEquals("", s.exec("ps -eo args | grep '^sleep 5' || true", T).stdout(), "the killed command is gone");
    }
    try (DockerSandbox s = (DockerSandbox) withServer.open(spec("killed-idle"))) {
      // killed from outside while idle (as an OOM kill or a reaper could)
      assertTrue(s.serverPid() > 0, "the server started");
      long hostPid = hostPidOfServer(s);
      assertTrue(hostPid > 0, "server process not found on the host");
      ProcessHandle.of(hostPid).orElseThrow().destroyForcibly();
      for (int i = 0; i < 100 && s.serverActive(); i++) {
        Thread.sleep(100);
      }
      assertFalse(s.serverActive(), "the end of its stream is noticed");
      ExecResult r = s.exec("echo still here; exit 4", T);
      assertEquals(4, r.exitCode());
      assertEquals("still here\n", r.stdout());
    }
  }

  /** The host pid of a sandbox's server: a process in the container's cgroup named like the server. */
  private static long hostPidOfServer(DockerSandbox s) throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          String cgroup = Files.readString(p.resolve("cgroup"));
          if (cmd.contains("twinrouter-exec-server") && cgroup.contains(s.id())) {
            return Long.parseLong(p.getFileName().toString());
          }
        } catch (IOException gone) {
          // ended meanwhile
        }
      }
    }
    return -1;
  }
}
