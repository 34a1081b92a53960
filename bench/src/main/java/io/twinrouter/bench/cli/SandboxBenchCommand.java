package io.twinrouter.bench.cli;

import io.twinrouter.console.InputException;
import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.RepoSource;
import io.twinrouter.sandbox.Sandbox;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.SandboxSpec;
import io.twinrouter.sandbox.backends.SandboxProviders;
import io.twinrouter.sandbox.docker.DockerSandboxProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures what one agent step costs in a sandbox: the round trip of an exec ({@code true}, and
 * {@code cat} of a 1 MB file) on a sandbox's exec server, as an engine exec of its own through
 * docker-java, and through the {@code docker exec} command-line client that mini-swe-agent spawns
 * per step, all in the same run and interleaved so machine load hits them alike; the start-to-ready
 * time of a container with and without its exec server; the same for the local bwrap sandbox.
 */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = "Benchmarks sandbox exec round trips (docker-java vs the docker CLI, and bwrap) and start-up.")
public final class SandboxBenchCommand implements Callable<Integer> {
  private static final Duration T = Duration.ofSeconds(60);
  private static final int MB = 1_000_000;

  @Option(names = "--runs", defaultValue = "20", description = "Timed runs per measurement (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--starts", defaultValue = "5", description = "Sandboxes started for the start-to-ready time (default: ${DEFAULT-VALUE}).")
  int starts;

  @Option(names = "--backend", defaultValue = "both", description = "docker, local or both (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--task-images", defaultValue = "2", description = "Task images made per method (commit, build) from fresh generated repos; 0 skips (default: ${DEFAULT-VALUE}).")
  int taskImages;

  @Option(names = "--docker-cli", defaultValue = "docker", description = "The docker command-line client to compare with.")
  String dockerCli;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  private final Map<String, double[]> results = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (runs < 3 || starts < 1) {
      throw new InputException("--runs must be at least 3 and --starts at least 1");
    }
    if (!List.of("docker", "local", "both").contains(backend)) {
      throw new InputException("--backend must be docker, local or both, not '" + backend + "'");
    }
    SandboxSettings settings = SandboxSettings.load();
    String runId = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    if (!backend.equals("local")) {
      try (SandboxProvider docker = SandboxProviders.create("docker", settings.withDockerExecServer(true))) {
        benchDocker(docker, runId);
        docker.reap(runId);
      }
    }
    if (!backend.equals("docker")) {
      try (SandboxProvider local = SandboxProviders.create("local", settings)) {
        benchLocal(local, runId);
        local.reap(runId);
      }
    }
    print();
    return 0;
  }

  private void benchDocker(SandboxProvider docker, String runId) throws IOException, InterruptedException {
    SandboxSettings settings = ((DockerSandboxProvider) docker).settings();
    try (SandboxProvider perExec = SandboxProviders.create("docker", settings.withDockerExecServer(false))) {
      progress("docker: start-to-ready x" + starts + " (exec server, then engine execs only)");
      results.put(SERVER + " start-to-ready", startToReady(docker, runId));
      results.put(PER_EXEC + " start-to-ready", startToReady(perExec, runId));
      try (Sandbox s = docker.open(SandboxSpec.of(runId, "bench-server"));
          Sandbox p = perExec.open(SandboxSpec.of(runId, "bench-per-exec"))) {
        if (!DockerSandboxProvider.execServerActive(s)) {
          throw new IllegalStateException("the exec server of " + s.id() + " did not start (see the log)");
        }
        prepareMegabyte(s);
        prepareMegabyte(p);
        // the CLI runs in the per-exec sandbox's container, so the server sandbox holds only its own work
        List<String> cliTrue = cli(p.id(), "true");
        List<String> cliCat = cli(p.id(), "cat /tmp/1mb");
        List<Timed> execTrue =
            List.of(java(SERVER, () -> s.exec("true", T), 0), java(PER_EXEC, () -> p.exec("true", T), 0),
                cli(CLI, cliTrue, 0));
        List<Timed> execCat =
            List.of(java(SERVER, () -> s.exec("cat /tmp/1mb", T), MB),
                java(PER_EXEC, () -> p.exec("cat /tmp/1mb", T), MB), cli(CLI, cliCat, MB));
        for (int i = 0; i < 3; i++) { // warm-up: JIT, connection pools, page cache
          for (Timed t : execTrue) {
            t.run();
          }
        }
        progress("docker: exec true x" + runs + " (exec server, engine exec, CLI interleaved)");
        interleaved(execTrue, " exec true");
        progress("docker: exec cat 1 MB x" + runs);
        interleaved(execCat, " exec cat 1MB");
        if (!DockerSandboxProvider.execServerActive(s)) {
          throw new IllegalStateException("the exec server of " + s.id() + " broke during the run (see the log)");
        }
      }
      docker.reap(runId);
      perExec.reap(runId);
    }
    if (taskImages > 0) {
      benchTaskImages((DockerSandboxProvider) docker);
    }
  }

  private static final String SERVER = "docker exec server";
  private static final String PER_EXEC = "docker-java exec";
  private static final String CLI = "docker CLI";

  /** One way of running a command, checked each time it runs. */
  private record Timed(String name, Callable<Void> body) {
    void run() throws IOException, InterruptedException {
      try {
        body.call();
      } catch (IOException | InterruptedException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Timed java(String name, Supplier<ExecResult> exec, int expectedBytes) {
    return new Timed(name, () -> {
      check(exec.get(), expectedBytes);
      return null;
    });
  }

  private static Timed cli(String name, List<String> argv, int expectedBytes) {
    return new Timed(name, () -> {
      runCli(argv, expectedBytes);
      return null;
    });
  }

  /** Runs the ways round-robin, so that machine load hits them alike; records each as NAME+suffix. */
  private void interleaved(List<Timed> ways, String suffix) throws IOException, InterruptedException {
    double[][] ms = new double[ways.size()][runs];
    for (int i = 0; i < runs; i++) {
      for (int w = 0; w < ways.size(); w++) {
        long start = System.nanoTime();
        ways.get(w).run();
        ms[w][i] = (System.nanoTime() - start) / 1e6;
      }
    }
    for (int w = 0; w < ways.size(); w++) {
      results.put(ways.get(w).name() + suffix, ms[w]);
    }
  }

  /** Task image from a repo bundle, both methods alternately, each time from a repo never seen. */
  private void benchTaskImages(DockerSandboxProvider docker) throws IOException, InterruptedException {
    progress("docker: task images x" + taskImages + " per method (commit, build)");
    Path dir = Files.createTempDirectory("twinrouter-bench-repo");
    double[] commit = new double[taskImages];
    double[] build = new double[taskImages];
    try {
      String from = docker.settings().baseImage();
      for (int i = 0; i < taskImages; i++) {
        for (String method : List.of("commit", "build")) {
          Path repo = dir.resolve(method + i);
          String base = generateRepo(repo, method + i);
          Path bundle = dir.resolve(method + i + ".bundle");
          git(repo, "bundle", "create", "-q", bundle.toString(), "--all");
          long start = System.nanoTime();
          String tag = docker.taskImage(from, RepoSource.bundle(bundle, base), method);
          double ms = (System.nanoTime() - start) / 1e6;
          (method.equals("commit") ? commit : build)[i] = ms;
          docker.removeImage(tag);
        }
      }
    } finally {
      deleteTree(dir);
    }
    results.put("task image (commit)", commit);
    results.put("task image (build)", build);
  }

  /** A small Python project with 200 modules and two commits; returns the first commit. */
  private static String generateRepo(Path repo, String salt) throws IOException, InterruptedException {
    Files.createDirectories(repo.resolve("pkg"));
    git(repo, "init", "-q");
    for (int i = 0; i < 200; i++) {
      Files.writeString(repo.resolve("pkg/mod" + i + ".py"), "# " + salt + "\nVALUE = " + i + "\n" + "x = 1\n".repeat(50));
    }
    git(repo, "add", ".");
    git(repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "base");
    String base = git(repo, "rev-parse", "HEAD").strip();
    Files.writeString(repo.resolve("pkg/mod0.py"), "VALUE = -1\n");
    git(repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qam", "later");
    return base;
  }

  private static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + ": " + out);
    }
    return out;
  }

  private static void deleteTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void benchLocal(SandboxProvider local, String runId) {
    progress("local: start-to-ready x" + starts);
    results.put("bwrap start-to-ready", startToReady(local, runId));
    try (Sandbox s = local.open(SandboxSpec.of(runId, "bench"))) {
      prepareMegabyte(s);
      for (int i = 0; i < 3; i++) {
        s.exec("true", T);
      }
      progress("local: exec true and cat 1 MB x" + runs);
      results.put("bwrap exec true", timeRuns(() -> check(s.exec("true", T), 0)));
      results.put("bwrap exec cat 1MB", timeRuns(() -> check(s.exec("cat /tmp/1mb", T), MB)));
    }
  }

  /** Open, first exec answered: what a case waits before its first step. Close is not counted. */
  private double[] startToReady(SandboxProvider provider, String runId) {
    double[] ms = new double[starts];
    for (int i = 0; i < starts; i++) {
      long start = System.nanoTime();
      Sandbox s = provider.open(SandboxSpec.of(runId, "start-" + i));
      check(s.exec("true", T), 0);
      ms[i] = (System.nanoTime() - start) / 1e6;
      s.close();
    }
    return ms;
  }

  private static void prepareMegabyte(Sandbox s) {
    check(s.exec("head -c " + MB + " /dev/zero | tr '\\0' x > /tmp/1mb", T), 0);
  }

  /** What mini-swe-agent runs per step: {@code docker exec -w /testbed CID bash -lc CMD}. */
  private List<String> cli(String cid, String command) {
    return List.of(dockerCli, "exec", "-w", SandboxSpec.TESTBED, cid, "bash", "-lc", command);
  }

  private double[] timeRuns(Runnable r) {
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      r.run();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    return ms;
  }

  private static void runCli(List<String> argv, int expectedBytes) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    int exit = p.waitFor();
    if (exit != 0 || out.length != expectedBytes) {
      throw new IllegalStateException(String.join(" ", argv) + ": exit " + exit + ", " + out.length + " bytes");
    }
  }

  private static ExecResult check(ExecResult r, int expectedBytes) {
    if (r.exitCode() != 0 || r.stdout().length() != expectedBytes) {
      throw new IllegalStateException("bench exec failed: exit " + r.exitCode() + ", " + r.stdout().length()
          + " chars, stderr: " + r.stderr());
    }
    return r;
  }

  /** Each Docker way against the CLI, median over median: [label, numerator, denominator]. */
  private static final String[][] RATIOS = {
    {"exec server / CLI, exec true", SERVER + " exec true", CLI + " exec true"},
    {"exec server / CLI, exec cat 1MB", SERVER + " exec cat 1MB", CLI + " exec cat 1MB"},
    {"docker-java exec / CLI, exec true", PER_EXEC + " exec true", CLI + " exec true"},
    {"docker-java exec / CLI, exec cat 1MB", PER_EXEC + " exec cat 1MB", CLI + " exec cat 1MB"},
    {"exec server / docker-java exec, start-to-ready", SERVER + " start-to-ready", PER_EXEC + " start-to-ready"},
  };

  private void print() {
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (String[] r : RATIOS) {
      Double v = ratio(r[1], r[2]);
      if (v != null) {
        ratios.put(r[0], v);
      }
    }
    if (json) {
      StringBuilder sb = new StringBuilder("{\n  \"unit\": \"ms\",\n  \"measurements\": {\n");
      int i = 0;
      for (Map.Entry<String, double[]> e : results.entrySet()) {
        double[] v = e.getValue();
        sb.append(String.format(Locale.ROOT,
            "    \"%s\": {\"n\": %d, \"median\": %.2f, \"p90\": %.2f, \"min\": %.2f, \"max\": %.2f}%s%n",
            e.getKey(), v.length, pct(v, 50), pct(v, 90), pct(v, 0), pct(v, 100),
            ++i < results.size() ? "," : ""));
      }
      sb.append("  },\n  \"ratios\": {");
      List<String> parts = new ArrayList<>();
      ratios.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "\"%s\": %.3f", k, v)));
      sb.append(String.join(", ", parts)).append("}\n}");
      System.out.println(sb);
      return;
    }
    System.out.printf(Locale.ROOT, "%-34s %5s %9s %9s %9s %9s%n", "measurement (ms)", "n", "median", "p90", "min", "max");
    for (Map.Entry<String, double[]> e : results.entrySet()) {
      double[] v = e.getValue();
      System.out.printf(Locale.ROOT, "%-34s %5d %9.2f %9.2f %9.2f %9.2f%n",
          e.getKey(), v.length, pct(v, 50), pct(v, 90), pct(v, 0), pct(v, 100));
    }
    if (!ratios.isEmpty()) {
      System.out.println();
      System.out.println("ratios of medians, measured in this run (target: exec server / CLI <= 0.5):");
      ratios.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-48s %.3f%n", k, v));
    }
  }

  private Double ratio(String a, String b) {
    return results.containsKey(a) && results.containsKey(b) ? pct(results.get(a), 50) / pct(results.get(b), 50) : null;
  }

  static double pct(double[] values, int p) {
    double[] v = values.clone();
    Arrays.sort(v);
    int idx = (int) Math.ceil(p / 100.0 * v.length) - 1;
    return v[Math.max(0, Math.min(v.length - 1, idx))];
  }

  private static void progress(String msg) {
    System.err.println("bench sandbox: " + msg);
  }
}
