package io.twinrouter.orchestrator.cli;

import io.twinrouter.config.ModelPool;
import io.twinrouter.config.SettingsException;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.gateway.ProxyRouter;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.LiveScoring;
import io.twinrouter.orchestrator.live.PoolFiles;
import io.twinrouter.orchestrator.live.RunStoppedException;
import io.twinrouter.orchestrator.live.TaskSelection;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterCheck;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.scoring.live.Leaderboard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code live run} and {@code live score}: the live track. */
@Command(
    name = "live",
    mixinStandardHelpOptions = true,
    description = "The live track: run SWE-bench-style cases with a router choosing every model call.",
    subcommands = {LiveCommand.Run.class, LiveScoreCommand.class, LiveBranchCommand.class})
public final class LiveCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Runs every selected case (one actor per case, at most --workers at once), grades each"
            + " patch the SWE-bench way and writes the reference's layout to --out: results/<id>.json,"
            + " <id>.trace.jsonl, <id>.mini_traj.json, preds.json, eval_summary.json, score.json.",
        "Rerunning with the same --out resumes: finished cases (a results/<id>.json that parses)"
            + " are skipped. Prints the leaderboard line on stdout; progress goes to stderr.",
        "Before the run the router is asked once (instance id twinrouter-check); when nothing"
            + " answers (connection refused, no answer in time, HTTP 401/403/404/405) the command"
            + " says so and exits 2.",
        "Before any case starts the pool is checked (every api-key-env set and not empty, every"
            + " base-url parses) and each model is sent one minimal request whose usage must parse;"
            + " a failure exits 2 with one line per model and nothing in results/. The probes'"
            + " cost is printed. --no-preflight skips the requests, not the checks."
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {"0:the run finished and was scored",
          "1:every case ended as an infrastructure error (nothing to score; rerun to retry)",
          "2:bad input, a router that does not answer, or a pool that fails the preflight",
          "3:a provider refused the run's set-up mid-run (key, credit, model, parameter): nothing"
              + " scored; rerun with the same --out after the fix to resume"})
  static final class Run implements Callable<Integer> {
    @Option(names = "--tasks", defaultValue = "bundled", paramLabel = "FILE|bundled",
        description = "SWE-bench-format task file, or 'bundled' (default).")
    String tasks;

    @Option(names = "--router", paramLabel = "NAME|URL",
        description = "Built-in router name, java:CLASS, an HTTP router URL, or proxy:URL (a"
            + " routing proxy's OpenAI base URL, evaluated through the metering gateway;"
            + " required but with --attach).")
    String router;

    @Mixin GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--router-name", paramLabel = "NAME",
        description = "The router's name in the run id, files, leaderboards and gap rows (letters,"
            + " digits, . _ -). Default: a built-in's own name; http-PORT for a URL.")
    String routerName;

    @Option(names = "--pool", defaultValue = "sim", paramLabel = "sim|FILE",
        description = "'sim' (simulated pool on a free loopback port, default) or a pool file.")
    String pool;

    @Option(names = "--sandbox", defaultValue = "docker", paramLabel = "docker|local",
        description = "Sandbox backend (default docker; local = bwrap).")
    String sandbox;

    @Option(names = "--workers", paramLabel = "N",
        description = "Cases at once (default twinrouter.live.workers).")
    Integer workers;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
        description = "Seed of the simulated pool and of seeded routers (default 0).")
    long seed;

    @Option(names = "--instance-ids", paramLabel = "FILE",
        description = "Only these instance ids (one a line, # comments).")
    Path instanceIds;

    @Option(names = "--slice", paramLabel = "A:B",
        description = "Only rows A to B (exclusive) of the selection, as a Python slice (:10, 5:).")
    String slice;

    @Option(names = "--filter", paramLabel = "REGEX",
        description = "Only rows whose instance id matches REGEX from its start.")
    String filter;

    @Option(names = "--shuffle",
        description = "Shuffle the rows (sorted by id, then shuffled with --seed) before --filter"
            + " and --slice.")
    boolean shuffle;

    @CommandLine.Mixin ImageOptions images = new ImageOptions();
    @CommandLine.Mixin AgentConfigOption agentConfig = new AgentConfigOption();

    @Option(names = "--specs", paramLabel = "FILE",
        description = "More (repo, version) specs, in SWE-bench's key names (test_cmd, install,"
            + " eval_commands; log_parser), for in-house sets.")
    Path specs;

    @Option(names = "--skip-unsupported",
        description = "Leave out rows this run cannot grade (no grading plan, no place to run),"
            + " listed in score.json's unsupported_skipped, instead of refusing the run (exit 2).")
    boolean skipUnsupported;

    @Option(names = "--budget-usd", paramLabel = "USD",
        description = "Run-wide spend after which no new case starts (running ones finish).")
    Double budgetUsd;

    @Option(names = "--run-id", paramLabel = "ID",
        description = "Run id (default: reused from --out, else <router name>-<UTC time>).")
    String runId;

    @Option(names = "--max-restarts", defaultValue = "3", paramLabel = "N",
        description = "Restarts of a case after infrastructure failures (default 3).")
    int maxRestarts;

    @Option(names = "--json", description = "Print score.json instead of the leaderboard line.")
    boolean json;

    @Option(names = "--no-preflight",
        description = "Send no probe request to the pool's models before the run (keys and base"
            + " URLs are still checked).")
    boolean noPreflight;

    @Option(names = "--serve",
        description = "Run inside the scoring service (twinrouter.http.port, else a free port):"
            + " GET /v1/live/runs and /v1/live/runs/<id>/events follow the run; the service stays"
            + " up after the run until Ctrl-C.")
    boolean serve;

    @Option(names = "--cluster", paramLabel = "HOST:PORT",
        description = "Submit the run to the cluster this node belongs to (see 'node') and follow it.")
    String cluster;

    @Option(names = "--attach", paramLabel = "RUN_ID",
        description = "With --cluster: follow run RUN_ID, submitted before by a client that may"
            + " have died, writing every file of its finished cases into --out, then the rest.")
    String attach;

    @Mixin ClusterMemberOptions member = new ClusterMemberOptions();

    @Mixin RouterTimingOptions timing = new RouterTimingOptions();

    @Override
    public Integer call() throws Exception {
      TwinrouterSettings settings = images.apply(TwinrouterSettings.load());
      if (attach != null) {
        if (cluster == null || router != null || serve) {
          throw new InputException("--attach RUN_ID takes --cluster HOST:PORT and --out (no"
              + " --router, no --serve): the run's settings are the cluster's");
        }
        return print(ClusterRunCli.attach(attach, out, settings, cluster, member));
      }
      if (router == null) {
        throw new InputException("Missing required option: '--router=NAME|URL'");
      }
      settings = gateway.apply(timing.apply(agentConfig.apply(settings)), router);
      LiveRunOptions o = options(settings);
      if (cluster != null && ProxyRouter.isProxy(router)) {
        throw new InputException("--cluster: a proxy: router runs on one machine (its gateway"
            + " attributes the calls of this process's cases); leave out --cluster");
      }
      if (cluster != null && serve) {
        throw new InputException("--serve and --cluster: a clustered run is followed from the"
            + " command line only (its progress is not served over HTTP yet)");
      }
      if (cluster != null && agentConfig.file != null) {
        // the nodes run cases with their own settings: the file would be silently ignored
        throw new InputException("--agent-config and --cluster: the cluster's nodes do not read"
            + " the config yet; run without --cluster");
      }
      if (cluster == null && member.any()) {
        throw new InputException("--host, --advertise and --tls are the options of a cluster"
            + " client: give --cluster HOST:PORT too");
      }
      checkRouter(o, settings);
      try {
        return runLocallyOrClustered(o, settings);
      } catch (RunStoppedException e) {
        System.err.println("twinrouter: " + e.getMessage());
        return 3;
      }
    }

    private int runLocallyOrClustered(LiveRunOptions o, TwinrouterSettings settings)
        throws Exception {
      if (cluster != null) {
        return print(ClusterRunCli.run(o, specs, !noPreflight, settings, timing.timing(),
            cluster, member));
      }
      if (!serve) {
        return print(runChecked(o, settings, Optional.empty(), !noPreflight));
      }
      try (RunService service = RunService.start(o.out().toAbsolutePath(), settings)) {
        System.err.println("scoring service: " + service.url()
            + "  (GET /v1/live/runs follows the run)");
        int status = print(runChecked(o, settings, Optional.of(service.host()), !noPreflight));
        System.out.println("scoring service: " + service.url() + "/v1/live/runs; Ctrl-C stops");
        System.out.flush();
        service.serveUntilStopped();
        return status;
      }
    }

    /** Prints the outcome; 1 when every case ended as an infrastructure error, else 0. */
    private int print(LiveRun.Outcome outcome) {
      if (json) {
        System.out.println(LiveScoring.pretty(outcome.score()));
      } else {
        System.out.print(summary(outcome));
      }
      System.out.flush();
      return nothingScored(outcome) ? 1 : 0;
    }

    /**
     * True, with the reason on stderr, when every case of the run ended as an infrastructure
     * error: nothing was scored, and the command must not exit as if it had been (demo too).
     */
    static boolean nothingScored(LiveRun.Outcome outcome) {
      if (outcome.infrastructureErrors().isEmpty()
          || outcome.score().path("instance_count").asInt() != 0) {
        return false;
      }
      System.err.println("twinrouter: every case ended as an infrastructure error ("
          + outcome.infrastructureErrors().size() + "; the reasons are in "
          + outcome.out().resolve("eval_summary.json") + "); nothing was scored for "
          + outcome.routerLabel() + ". Rerun to retry.");
      return true;
    }

    LiveRunOptions options(TwinrouterSettings settings) {
      SpecsOption.add(specs);
      int n = workers == null ? settings.liveTrack().workers() : workers;
      if (n < 1) {
        throw new InputException("--workers must be at least 1, got " + n);
      }
      if (!sandbox.equals("docker") && !sandbox.equals("local")) {
        throw new InputException("--sandbox must be docker or local, got '" + sandbox + "'");
      }
      if (budgetUsd != null && !(budgetUsd > 0)) {
        throw new InputException("--budget-usd must be positive, got " + budgetUsd);
      }
      if (maxRestarts < 0) {
        throw new InputException("--max-restarts must be >= 0, got " + maxRestarts);
      }
      return LiveRunOptions.of(tasks, router, sandbox, out)
          .withRouterName(RouterNameOption.checked(routerName))
          .withPool(pool)
          .withWorkers(n)
          .withSeed(seed)
          .withInstanceIds(instanceIds)
          .withBudget(budgetUsd)
          .withRunId(runId)
          .withRestarts(maxRestarts, Duration.ofSeconds(1), Duration.ofSeconds(30))
          .withSelection(selection());
    }

    private TaskSelection selection() {
      try {
        return new TaskSelection(Optional.ofNullable(slice), Optional.ofNullable(filter),
            shuffle ? Optional.of(seed) : Optional.empty(), skipUnsupported);
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage(), e);
      }
    }
  }

  /**
   * Asks the run's router once with {@link RouterCheck#liveProbe}, so a router that is not there
   * stops the run (exit 2) before any sandbox starts, instead of ending every case.
   */
  static void checkRouter(LiveRunOptions o, TwinrouterSettings settings) {
    if (ProxyRouter.isProxy(o.router())) {
      // asking a proxy costs a model call: only that something listens at its address
      URI proxy = ProxyRouter.endpoint(o.router());
      int port = proxy.getPort() != -1 ? proxy.getPort() : "https".equals(proxy.getScheme()) ? 443 : 80;
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(proxy.getHost(), port), 5000);
      } catch (IOException e) {
        throw new InputException("cannot connect to proxy " + proxy + ": " + e.getMessage()
            + " (is the proxy running and listening on " + proxy.getHost() + ":" + port + "?)");
      }
      return;
    }
    try {
      ModelPool pool = LiveRunOptions.SIM.equals(o.pool()) ? settings.pool() : PoolFiles.load(Path.of(o.pool()));
      RouterTimingOptions.checkPool(settings, pool);
      Router router = Routers.byName(o.router(), o.routerName().orElse(null),
          RouterEnvironment.of(settings).withPool(pool).withSeed(o.seed()));
      RouterCheck.answers(router, RouterCheck.liveProbe(pool, settings));
    } catch (SettingsException | IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
  }

  /** Runs, turning bad input into {@link InputException}s (exit 2, one line). */
  static LiveRun.Outcome runChecked(LiveRunOptions o, TwinrouterSettings settings)
      throws IOException, InterruptedException {
    return runChecked(o, settings, Optional.empty());
  }

  /** The same, in a scoring service's actor system when {@code host} is given. */
  static LiveRun.Outcome runChecked(LiveRunOptions o, TwinrouterSettings settings,
      Optional<LiveRun.Host> host) throws IOException, InterruptedException {
    return runChecked(o, settings, host, true);
  }

  /** The same, the preflight's probe requests sent unless {@code preflightCalls} is false. */
  static LiveRun.Outcome runChecked(LiveRunOptions o, TwinrouterSettings settings,
      Optional<LiveRun.Host> host, boolean preflightCalls)
      throws IOException, InterruptedException {
    try {
      LiveRun run = new LiveRun(o, settings);
      return (preflightCalls ? run : run.withoutPreflightCalls()).run(e -> {}, true, host);
    } catch (SettingsException | IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    } catch (SandboxException e) {
      throw new InputException("sandbox " + o.sandbox() + ": " + e.getMessage(), e);
    }
  }

  /** The human summary of a run: leaderboard table, then where its files are. */
  static String summary(LiveRun.Outcome o) {
    StringBuilder s = new StringBuilder(Leaderboard.render(List.of(o.score())));
    if (!o.reused().isEmpty()) {
      s.append(o.reused().size()).append(" case(s) reused from an earlier invocation\n");
    }
    if (!o.infrastructureErrors().isEmpty()) {
      s.append("infrastructure errors (not scored; rerun to retry): ")
          .append(String.join(", ", o.infrastructureErrors())).append('\n');
    }
    if (!o.notStarted().isEmpty()) {
      s.append("budget reached: ").append(o.notStarted().size())
          .append(" case(s) not started; the run was cut short\n");
    }
    s.append("run ").append(o.runId()).append(": ").append(o.out().resolve("score.json")).append('\n');
    return s.toString();
  }
}
