package io.twinrouter.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * What every sandbox backend must do, run against the real thing (a Docker engine, bwrap). The
 * subclasses name the backend and say how to see a run's leftovers from outside.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SandboxContract {
  static final Duration T = Duration.ofSeconds(30);

  protected SandboxSettings settings;
  protected SandboxProvider provider;
  protected final String runId = "it-" + UUID.randomUUID().toString().substring(0, 8);

  abstract SandboxProvider newProvider(SandboxSettings s);

  /** How many sandboxes of {@code run} exist, seen from outside the provider. */
  abstract int leftovers(String run);

  /** One sandbox for the tests that need no spec of their own (starting one costs seconds). */
  protected Sandbox shared;

  @BeforeAll
  void start() {
    settings = SandboxSettings.load().withOutputLimitBytes(64 * 1024);
    provider = newProvider(settings);
    shared = provider.open(spec("shared").withEnv(Map.of("FOO", "bar baz")));
  }

  @AfterAll
  void stop() {
    if (shared != null) {
      shared.close();
    }
    if (provider != null) {
      provider.reap(runId);
      provider.close();
    }
  }

  SandboxSpec spec(String caseId) {
    return SandboxSpec.of(runId, caseId)
        .withLimits(new Limits(512L << 20, 1_000_000_000L, 256));
  }

  @Test
  void aSpecsOutputCapReplacesTheProviders() {
    String big = "head -c 20000 /dev/zero | tr '\\0' x";
    ExecResult whole = shared.exec(big, T);
    assertFalse(whole.truncated(), "20000 bytes are under the provider's 64 KiB");
    try (Sandbox capped = provider.open(spec("capped").withOutputLimit(4096))) {
      ExecResult r = capped.exec(big, T);
      assertTrue(r.truncated());
      assertTrue(r.stdout().length() < 5000, "about 4 KiB kept: " + r.stdout().length());
    }
  }

  private static final String SHELL_FORM =
      "cat; shopt -q login_shell && echo ' login' || echo ' plain'";

  @Test
  void theShellOfEveryExecIsTheSpecs() {
    assertEquals("login\n", shared.exec("shopt -q login_shell && echo login || echo plain", T)
        .stdout(), "bash -lc unless the spec says otherwise");
    try (Sandbox plain = provider.open(spec("plain-shell").withShell(ExecShell.BASH_C))) {
      assertEquals("plain\n", plain.exec("shopt -q login_shell && echo login || echo plain", T)
          .stdout());
      assertEquals("in plain\n", plain.exec(SHELL_FORM, T, "in".getBytes(StandardCharsets.UTF_8))
          .stdout(), "with a standard input too");
    }
    assertEquals("in login\n", shared.exec(SHELL_FORM, T, "in".getBytes(StandardCharsets.UTF_8))
        .stdout());
  }

  @Test
  void returnsOutputAndExitCodeOfAFreshLoginShellInTestbed() {
    Sandbox s = shared;
    {
      ExecResult r = s.exec("echo out; echo err >&2; echo \"$FOO\"; pwd; exit 3", T);
      assertEquals(3, r.exitCode());
      assertEquals("out\nbar baz\n/testbed\n", r.stdout());
      assertEquals("err\n", r.stderr());
      assertFalse(r.truncated());
      assertFalse(r.timedOut());
      // shell state does not carry over from one exec to the next; files do
      s.exec("cd /tmp && export X=1 && echo kept > /testbed/kept.txt", T);
      ExecResult next = s.exec("pwd; echo \"x=$X\"; cat kept.txt", T);
      assertEquals("/testbed\nx=\nkept\n", next.stdout());
    }
  }

  @Test
  void aTimeoutKillsTheProcessesNotOnlyTheWait() throws IOException {
    String mark = "twmark" + UUID.randomUUID().toString().replace("-", "");
    Sandbox s = shared;
    {
      ExecResult r =
          s.exec(
              "echo started; (exec -a " + mark + " sleep 1000) & "
                  + "setsid bash -c 'exec -a " + mark + "x sleep 1000' & "
                  + "exec -a " + mark + "y sleep 1000",
              Duration.ofSeconds(2));
      assertEquals(ExecResult.TIMED_OUT, r.exitCode());
      assertTrue(r.timedOut());
      assertEquals("started\n", r.stdout());
      assertTrue(r.duration().compareTo(Duration.ofSeconds(2)) >= 0, r.duration().toString());
      assertTrue(r.duration().compareTo(Duration.ofSeconds(10)) < 0, r.duration().toString());
      assertEquals(List.of(), hostProcessesNamed(mark), "processes survived the timeout");
      ExecResult ps = s.exec("ps -eo args | grep -c '^" + mark + "' || true", T);
      assertEquals("0\n", ps.stdout());
    }
  }

  /** The command lines of every process on this kernel (sandboxes included) that contain text. */
  static List<String> hostProcessesNamed(String text) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmd.startsWith(text)) {
            found.add(p.getFileName() + ": " + cmd.replace('\0', ' '));
          }
        } catch (IOException gone) {
          // the process ended meanwhile
        }
      }
    }
    return found;
  }

  @Test
  void hugeOutputIsCutKeepingHeadAndTail() {
    Sandbox s = shared;
    {
      ExecResult r = s.exec("echo FIRST; yes line | head -n 5000000; echo LAST", T);
      assertEquals(0, r.exitCode());
      assertTrue(r.truncated());
      assertTrue(r.stdout().startsWith("FIRST\nline\n"), r.stdout().substring(0, 20));
      assertTrue(r.stdout().endsWith("line\nLAST\n"));
      assertTrue(r.stdout().contains("bytes of output cut here"));
      assertTrue(r.stdout().length() < 70 * 1024, "kept " + r.stdout().length());
    }
  }

  @Test
  void thereIsNoNetworkInside() throws IOException {
    Sandbox s = shared;
    try (ServerSocket hostService = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // the interfaces of the sandbox's own network namespace
      ExecResult ifaces = s.exec("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '", T);
      assertEquals("lo\n", ifaces.stdout());
      // the host's loopback is not the sandbox's: a service the host runs there is out of reach
      ExecResult connect =
          s.exec(
              "python3 -c \"import socket; socket.create_connection(('127.0.0.1', "
                  + hostService.getLocalPort() + "), timeout=3)\"",
              T);
      assertEquals(1, connect.exitCode());
      assertTrue(connect.stderr().contains("Connection refused"), connect.stderr());
      ExecResult resolve = s.exec("getent hosts example.org || echo unresolved", T);
      assertEquals("unresolved\n", resolve.stdout());
    }
  }

  @Test
  void goingPastTheMemoryLimitGivesAClearResult() {
    try (Sandbox s = provider.open(spec("memory").withLimits(new Limits(96L << 20, 0, 256)))) {
      ExecResult r = s.exec("python3 -c \"b = b'x' * (400 * 1024 * 1024); print(len(b))\"", T);
      assertEquals(ExecResult.KILLED, r.exitCode(), r.toString());
      assertTrue(r.stderr().contains("out-of-memory killer"), r.stderr());
      assertTrue(r.stderr().contains("96 MiB"), r.stderr());
      assertEquals("ok\n", s.exec("echo ok", T).stdout(), "the sandbox survives the kill");
    }
  }

  @Test
  void copiesFilesInAndOut(@TempDir Path tmp) throws IOException {
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("sub"));
    Files.writeString(data.resolve("a.txt"), "alpha\n");
    Path script = data.resolve("sub/run.sh");
    Files.writeString(script, "#!/bin/sh\necho ran\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Sandbox s = shared;
    {
      s.copyIn(data, "/testbed/data");
      s.copyIn(data.resolve("a.txt"), "/root/deep/er/a.txt");
      ExecResult r = s.exec("cat data/a.txt /root/deep/er/a.txt && ./data/sub/run.sh", T);
      assertEquals("alpha\nalpha\nran\n", r.stdout(), r.stderr());

      byte[] patch = "binary\0and text\n".getBytes(StandardCharsets.UTF_8);
      s.writeFile("/root/patch.diff", patch);
      assertArrayEquals(patch, s.readFile("/root/patch.diff"));

      s.exec("mkdir -p out/n && echo made > out/n/x.txt && echo top > out/t.txt", T);
      Path back = tmp.resolve("back");
      s.copyOut("/testbed/out", back);
      assertEquals("made\n", Files.readString(back.resolve("n/x.txt")));
      assertEquals("top\n", Files.readString(back.resolve("t.txt")));
      Path single = tmp.resolve("single.txt");
      s.copyOut("/testbed/out/t.txt", single);
      assertEquals("top\n", Files.readString(single));
    }
  }

  @Test
  void stdinReachesTheCommand() {
    Sandbox s = shared;
    {
      byte[] input = "x".repeat(12345).getBytes(StandardCharsets.UTF_8);
      ExecResult r = s.exec("wc -c", T, input);
      assertEquals("12345", r.stdout().strip());
      assertEquals("0\n", s.exec("ls -A /tmp | grep -c twinrouter-stdin || true", T).stdout(), "the stdin file is removed");
    }
  }

  @Test
  void aTaskRepositoryIsCheckedOutAtItsBaseCommit(@TempDir Path tmp) throws Exception {
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    run(repo, "git", "init", "-q", "-b", "main");
    Files.writeString(repo.resolve("mod.py"), "VALUE = 1\n");
    run(repo, "git", "add", ".");
    run(repo, "git", "commit", "-qm", "one");
    String base = run(repo, "git", "rev-parse", "HEAD").strip();
    Files.writeString(repo.resolve("mod.py"), "VALUE = 2\n");
    run(repo, "git", "commit", "-qam", "two");
    Path bundle = tmp.resolve("repo.bundle");
    run(repo, "git", "bundle", "create", "-q", bundle.toString(), "--all");

    for (int round = 0; round < 2; round++) { // the second open reuses what the first prepared
      try (Sandbox s = provider.open(spec("repo").withRepoSource(RepoSource.bundle(bundle, base)))) {
        ExecResult r = s.exec("git rev-parse HEAD && cat mod.py && git status --porcelain", T);
        assertEquals(base + "\nVALUE = 1\n", r.stdout(), r.stderr());
        ExecResult test = s.exec("python3 -c 'import mod; print(mod.VALUE)'", T);
        assertEquals("1\n", test.stdout(), test.stderr());
      }
    }
  }

  /** Runs git (or anything) with fixed identities and dates, so a test repo has the same hashes every run. */
  static String run(Path dir, String... argv) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    for (String who : List.of("AUTHOR", "COMMITTER")) {
      env.put("GIT_" + who + "_NAME", "twinrouter-test");
      env.put("GIT_" + who + "_EMAIL", "test@localhost");
      env.put("GIT_" + who + "_DATE", "2026-01-01T00:00:00Z");
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    return out;
  }

  @Test
  void eightSandboxesAtOnceAndNothingLeftAfterClose() throws Exception {
    String run = runId + "-eight";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  try (Sandbox s = provider.open(SandboxSpec.of(run, "case-" + n))) {
                    s.writeFile("/testbed/n.txt", Integer.toString(n).getBytes(StandardCharsets.UTF_8));
                    return s.exec("cat n.txt; echo -n :; ls /testbed | wc -l", T).stdout();
                  }
                }));
      }
      for (int i = 0; i < 8; i++) {
        assertEquals(i + ":1\n", results.get(i).get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, leftovers(run));
  }

  @Test
  void leftoversOfACrashedRunAreReaped() {
    String run = runId + "-crash";
    SandboxProvider crashed = newProvider(settings);
    Sandbox abandoned = crashed.open(SandboxSpec.of(run, "abandoned"));
    abandoned.exec("echo busy > /testbed/state", T);
    // the "crashed" process never closes it; a new process reaps by run id
    assertEquals(1, leftovers(run));
    SandboxProvider next = newProvider(settings);
    try {
      assertEquals(1, next.reap(run));
      assertEquals(0, leftovers(run));
      assertEquals(0, next.reap(run));
    } finally {
      next.close();
    }
  }
}
