package io.twinrouter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an agent's command must not reach from inside a sandbox of either backend (issue 18): the
 * host's Docker socket, files planted on the host (in its {@code /etc} too), the task file with the
 * gold patches, a service on the host's loopback, and any commit after the base one. Each attempt is
 * made the way an agent would make it, and each failure is asserted on its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IsolationContract {
  static final Duration T = Duration.ofSeconds(60);

  final String id = UUID.randomUUID().toString().replace("-", "");
  final String runId = "iso-" + id.substring(0, 8);
  /** Contents the sandbox must never show; each is written in two halves so no command holds it whole. */
  private final String canaryHalf = "twinrouter-canary-";
  private final String canaryRest = id;
  private final String goldHalf = "GOLD-PATCH-";
  private final String goldRest = id;

  SandboxProvider provider;
  private Sandbox sandbox;
  private HttpServer hostService;
  private final AtomicInteger hostServiceHits = new AtomicInteger();
  private final List<Path> canaries = new ArrayList<>();
  private Path taskFile;

  abstract SandboxProvider newProvider(SandboxSettings s);

  @BeforeAll
  void start() throws IOException {
    provider = newProvider(SandboxSettings.load());
    sandbox = provider.open(SandboxSpec.of(runId, "isolation"));
    hostService = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hostService.createContext("/", exchange -> {
      hostServiceHits.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    hostService.start();
    // the host folders the old local sandbox showed, /etc among them, and this checkout
    for (String folder : List.of("/etc", "/opt", "/var/tmp", "/root", "/home", Path.of("target").toAbsolutePath().toString())) {
      Path dir = Path.of(folder);
      if (Files.isDirectory(dir) && Files.isWritable(dir)) {
        Path canary = dir.resolve("twinrouter-canary-" + runId);
        Files.writeString(canary, canaryHalf + canaryRest + "\n");
        canaries.add(canary);
      }
    }
    assertTrue(canaries.size() >= 3, "canaries planted: " + canaries);
    taskFile = Path.of("target", runId + "-tasks.jsonl").toAbsolutePath();
    Files.writeString(taskFile, "{\"instance_id\":\"iso__case-1\",\"patch\":\"+" + goldHalf + goldRest + "\\n\"}\n");
  }

  @AfterAll
  void stop() throws IOException {
    if (hostService != null) {
      hostService.stop(0);
    }
    for (Path canary : canaries) {
      Files.deleteIfExists(canary);
    }
    if (taskFile != null) {
      Files.deleteIfExists(taskFile);
    }
    if (sandbox != null) {
      sandbox.close();
    }
    if (provider != null) {
      provider.reap(runId);
      provider.close();
    }
  }

  @Test
  void theHostsDockerSocketCannotBeReached() {
    assertTrue(Files.exists(Path.of("/var/run/docker.sock")), "the host has a Docker socket to hide");
    for (String socket : List.of("/var/run/docker.sock", "/run/docker.sock")) {
      ExecResult r = sandbox.exec(
          "python3 -c \"import socket; s = socket.socket(socket.AF_UNIX); s.connect('" + socket + "'); print('connected')\"",
          T);
      assertEquals(1, r.exitCode(), socket + ": " + r);
      assertFalse(r.stdout().contains("connected"), socket + ": " + r);
      assertTrue(r.stderr().contains("FileNotFoundError"), socket + ": " + r.stderr());
    }
  }

  @Test
  void aCanaryFilePlantedOnTheHostCannotBeRead() {
    for (Path canary : canaries) {
      ExecResult r = sandbox.exec("cat " + canary, T);
      assertEquals(1, r.exitCode(), canary + ": " + r);
      assertTrue(r.stderr().contains("No such file or directory"), canary + ": " + r.stderr());
    }
    assertEquals(Set.of(), foundAnywhere(sandbox, List.of(canaryHalf + canaryRest)), "the canary's content, searched in the whole sandbox");
  }

  @Test
  void theWholeSandboxSearchFindsWhatIsInside() {
    // the control for the searches above: a text the sandbox does hold is found
    String control = "twinrouter-control-" + id;
    sandbox.writeFile("/tmp/control.txt", control.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    sandbox.exec("cp /tmp/control.txt /testbed/control.txt", T);
    assertEquals(Set.of(control), foundAnywhere(sandbox, List.of(control, canaryHalf + canaryRest)));
    sandbox.exec("rm /tmp/control.txt /testbed/control.txt", T);
  }

  @Test
  void theHostsEtcIsNotTheSandboxs() throws IOException {
    String hostName = Files.readString(Path.of("/etc/hostname")).strip();
    ExecResult r = sandbox.exec("cat /etc/hostname; test -e /etc/twinrouter-canary-" + runId + " && echo canary-seen || true", T);
    assertEquals(0, r.exitCode(), r.toString());
    assertFalse(r.stdout().contains("canary-seen"), r.stdout());
    assertFalse(r.stdout().strip().equals(hostName), "the host's own name shows inside: " + r.stdout());
  }

  @Test
  void theTaskFileCannotBeRead() {
    ExecResult r = sandbox.exec("cat " + taskFile, T);
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.stderr().contains("No such file or directory"), r.stderr());
    assertEquals(Set.of(), foundAnywhere(sandbox, List.of(goldHalf + goldRest)), "the gold patch, searched in the whole sandbox");
  }

  @Test
  void aServiceOnTheHostsLoopbackCannotBeReached() {
    int port = hostService.getAddress().getPort();
    ExecResult r = sandbox.exec(
        "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:" + port + "/', timeout=5); print('reached')\"",
        T);
    assertEquals(1, r.exitCode(), r.toString());
    assertFalse(r.stdout().contains("reached"), r.stdout());
    assertTrue(r.stderr().contains("Connection refused"), r.stderr());
    assertEquals(0, hostServiceHits.get(), "requests that reached the host's service");
    ExecResult ifaces = sandbox.exec("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '", T);
    assertEquals("lo\n", ifaces.stdout(), "network interfaces inside");
  }

  @Test
  void onlyTheSandboxsOwnFoldersAreWritable() {
    for (String path : List.of("/etc", "/usr", "/opt", "/var")) {
      ExecResult r = sandbox.exec("touch " + path + "/twinrouter-probe", T);
      assertEquals(1, r.exitCode(), path + ": " + r);
      assertTrue(r.stderr().contains("Read-only file system"), path + ": " + r.stderr());
    }
    ExecResult own = sandbox.exec("touch /testbed/w /tmp/w /root/w && echo written", T);
    assertEquals("written\n", own.stdout(), own.toString());
  }

  @Test
  void aLaterCommitHoldingTheFixLeavesNoTraceInside(@TempDir Path tmp) throws Exception {
    FutureRepo repo = FutureRepo.make(tmp, id);
    try (Sandbox s = provider.open(SandboxSpec.of(runId, "future").withRepoSource(RepoSource.bundle(repo.bundle(), repo.base())))) {
      assertNoFuture(s, repo);
    }
  }

  @Test
  void aFolderWithALaterCommitLeavesNoTraceEither(@TempDir Path tmp) throws Exception {
    FutureRepo repo = FutureRepo.make(tmp, id);
    try (Sandbox s = provider.open(SandboxSpec.of(runId, "future-folder").withRepoSource(new RepoSource(repo.folder(), repo.base())))) {
      assertNoFuture(s, repo);
    }
  }

  /** A repository whose later commit, tag and branch hold the fix, as a folder and as a bundle. */
  record FutureRepo(Path folder, Path bundle, String base, String fix, String fixBlob, String marker) {
    private static final String FIX_HALF = "FIXED-IN-A-LATER-COMMIT-";

    static FutureRepo make(Path tmp, String id) throws Exception {
      Path repo = tmp.resolve("repo");
      Files.createDirectories(repo);
      SandboxContract.run(repo, "git", "init", "-q", "-b", "main");
      Files.writeString(repo.resolve("mod.py"), "def answer():\n    return 41\n");
      SandboxContract.run(repo, "git", "add", ".");
      SandboxContract.run(repo, "git", "commit", "-qm", "base");
      String base = SandboxContract.run(repo, "git", "rev-parse", "HEAD").strip();
      Files.writeString(repo.resolve("mod.py"), "def answer():\n    return 42  # " + FIX_HALF + id + "\n");
      SandboxContract.run(repo, "git", "commit", "-qam", "fix " + FIX_HALF + id);
      String fix = SandboxContract.run(repo, "git", "rev-parse", "HEAD").strip();
      String fixBlob = SandboxContract.run(repo, "git", "rev-parse", "HEAD:mod.py").strip();
      SandboxContract.run(repo, "git", "tag", "-a", "-m", "release", "v2");
      SandboxContract.run(repo, "git", "branch", "later");
      Path bundle = tmp.resolve("repo.bundle");
      SandboxContract.run(repo, "git", "bundle", "create", "-q", bundle.toString(), "--all");
      return new FutureRepo(repo, bundle, base, fix, fixBlob, FIX_HALF + id);
    }
  }

  /**
   * Nothing after the base commit is reachable, stored, or anywhere in the sandbox: {@code git log
   * --all}, refs, remotes, tags, reflog, {@code git fsck --unreachable}, the object store's names
   * and contents, a search of every file.
   */
  static void assertNoFuture(Sandbox s, FutureRepo r) {
    assertEquals(r.base() + "\n", s.exec("git rev-parse HEAD", T).stdout());
    assertEquals("", s.exec("git status --porcelain", T).stdout(), "a clean checkout");
    ExecResult log = s.exec("git log --all --format=%H", T);
    assertEquals(r.base() + "\n", log.stdout(), "git log --all: " + log);
    ExecResult refs = s.exec("git for-each-ref --format='%(refname)'; git remote; git tag; git reflog", T);
    assertEquals("refs/heads/main\n", refs.stdout(), "refs, remotes, tags, reflog: " + refs);
    ExecResult fsck = s.exec("git fsck --unreachable --no-reflogs 2>&1", T);
    assertEquals(0, fsck.exitCode(), fsck.toString());
    assertFalse(fsck.stdout().contains("unreachable"), "git fsck --unreachable: " + fsck.stdout());
    ExecResult objects = s.exec("git cat-file --batch-all-objects --batch-check='%(objectname)'", T);
    assertFalse(objects.stdout().contains(r.fix()), "the fix commit is in the object store");
    assertFalse(objects.stdout().contains(r.fixBlob()), "the fixed file is in the object store");
    int cut = r.marker().length() / 2;
    ExecResult contents = s.exec("h='" + r.marker().substring(0, cut) + "'; git cat-file --batch-all-objects --batch"
        + " | grep -ac \"$h\"'" + r.marker().substring(cut) + "' || true", T);
    assertEquals("0\n", contents.stdout(), "object contents mentioning the fix");
    assertEquals(Set.of(), foundAnywhere(s, List.of(r.marker())), "the fix, searched in the whole sandbox");
  }

  /**
   * Which of {@code texts} any file in the sandbox holds (outside /proc, /sys and /dev). Each is
   * given to grep in two halves joined by the shell, so the command line itself holds none whole.
   */
  private static Set<String> foundAnywhere(Sandbox sandbox, List<String> texts) {
    StringBuilder cmd = new StringBuilder();
    List<String> args = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      int cut = t.length() / 2;
      cmd.append("a").append(i).append("='").append(t, 0, cut).append("'; ");
      args.add("-e \"$a" + i + "\"'" + t.substring(cut) + "'");
    }
    cmd.append("grep -rhoasF --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev ")
        .append(String.join(" ", args))
        .append(" / | sort -u; true");
    ExecResult r = sandbox.exec(cmd.toString(), Duration.ofMinutes(3));
    assertEquals(0, r.exitCode(), r.toString());
    return Set.copyOf(r.stdout().lines().filter(l -> !l.isBlank()).toList());
  }
}
