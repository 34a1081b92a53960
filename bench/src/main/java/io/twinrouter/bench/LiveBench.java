package io.twinrouter.bench;

import com.typesafe.config.Config;
import io.twinrouter.agent.casework.CaseDeps;
import io.twinrouter.agent.casework.CaseRunner;
import io.twinrouter.agent.casework.ModelClientChat;
import io.twinrouter.agent.casework.RouterChooser;
import io.twinrouter.agent.casework.SandboxShell;
import io.twinrouter.agent.journal.JournalDatabase;
import io.twinrouter.agent.loop.Action;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.CaseLoop;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.loop.ChatModel;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.loop.RouteChooser;
import io.twinrouter.agent.loop.Shell;
import io.twinrouter.agent.loop.Templates;
import io.twinrouter.agent.loop.TurnResult;
import io.twinrouter.agent.model.ModelClient;
import io.twinrouter.agent.model.ModelClientSettings;
import io.twinrouter.agent.model.RequestOptions;
import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTask;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.CaseAttempt;
import io.twinrouter.orchestrator.run.RunProgress;
import io.twinrouter.orchestrator.run.RunSupervisor;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code bench live}: what the live run's orchestration costs per step, and how many cases it
 * carries at once. Cases run the bundled tasks against the simulated pool on a {@link
 * TrivialSandbox}, with a step limit, so every case makes the same number of model calls.
 *
 * <p>Part 1 (no model latency) times the same cases four ways, interleaved over rounds, and
 * subtracts: the bare loop ({@link CaseLoop} driven on the calling thread, the high model chosen
 * without a router: the baseline), plus the router ({@link RouterChooser} over the always-high
 * router), plus the actors ({@code RunSupervisor}, {@code CaseAttempt}, {@code CaseRunner} with
 * their trace and trajectory files), plus the H2 journal (every step persisted before the next
 * call). Part 2 (with model latency) runs many cases at once, bare loops on as many threads (the
 * baseline) and then the journalled actors, and reads the heap after a full GC before and while
 * they run.
 */
public final class LiveBench {

  /**
   * @param cases cases per round of part 1, run one after the other
   * @param warmupRounds part 1's fewest warm-up rounds; more follow until the JIT is quiet
   * @param maxWarmupRounds part 1's most warm-up rounds, quiet or not
   * @param concurrent cases of part 2, all at once
   */
  public record Options(int cases, int steps, int warmupRounds, int maxWarmupRounds, int rounds,
      int concurrent, int concurrentSteps, Duration latency, long seed) {}

  /**
   * A warm-up round is quiet when the JIT compiled for less than this share of its wall time.
   * Code that runs once per step (H2's commit, the journal plugin) reaches the optimising
   * compiler only after thousands of steps; until then it runs as slower profiled code, and the
   * compiler takes one of the two cores. Two quiet rounds in a row end the warm-up.
   */
  private static final double QUIET_JIT_SHARE = 0.05;

  private static final String ROUTER = "always-high";

  private final TwinrouterSettings settings;
  private final Options options;
  private final Path work;
  private final PrintStream out;
  private final Phases phase;
  private final AgentSettings agent;
  private final Templates templates;
  private final BenchCaseRuns caseRuns;

  /**
   * @param work an empty directory for the suite, the journal and the cases' files
   * @param phase hears the name of each phase as it starts, and the number of phases once the
   *     warm-up has ended (a progress bar)
   */
  public LiveBench(TwinrouterSettings settings, Options options, Path work, PrintStream out,
      Phases phase) {
    this.settings = settings;
    this.options = options;
    this.work = work;
    this.out = out;
    this.phase = phase;
    this.agent = AgentSettings.from(settings.raw());
    this.templates = Templates.forFile(agent.templatesFile());
    this.caseRuns = new BenchCaseRuns(settings, options.seed(), work, agent, templates, ROUTER);
  }

  /** Hears the bench's phases as they start. */
  public interface Phases {
    void accept(String name);

    /** The number of phases in all, known once the warm-up has ended. */
    default void total(int phases) {}
  }

  /** Phases reported to {@code phase} at most (the warm-up may end early), for a progress bar. */
  public static int phases(Options o) {
    return 1 + 4 * (Math.max(o.warmupRounds(), o.maxWarmupRounds()) + o.rounds()) + 2;
  }

  public void run() throws Exception {
    List<TaskInstance> suite = TaskSuite.open(TaskSuite.BUNDLED, work.resolve("suite"));
    List<SimTask> simTasks =
        SimTaskLoader.load(work.resolve("suite").resolve(TaskSuite.BUNDLED_TASK_FILE));
    JournalDatabase journal = JournalDatabase.h2(work.resolve("journal"));
    journal.ensureSchema();
    Config config = journal.pekkoConfig().withFallback(settings.raw());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "twinrouter-bench", config);
    try (ModelClient models = ModelClient.create(ModelClientSettings.from(settings.raw()))) {
      out.printf(Locale.ROOT, "bench live: %d cores, max heap %d MiB, bundled suite (%d tasks), "
              + "trivial sandbox, simulated pool on 127.0.0.1%n",
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
          suite.size());
      overhead(system, models, suite, simTasks);
      concurrency(system, models, suite, simTasks);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  // --- part 1: overhead per step ---

  private enum Mode {
    BARE("bare loop (baseline)"),
    ROUTER("+ router"),
    ACTORS("+ actors, trace files"),
    JOURNAL("+ H2 journal");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /**
   * @param cpuNanos CPU time of the whole process (pool, client, loop, actors, journal, GC): on a
   *     machine shared with other work, wall time also counts waiting for a core
   */
  private record Timed(long nanos, long cpuNanos, long jitMillis, long steps, double costUsd) {
    double msPerStep() {
      return nanos / 1e6 / steps;
    }

    double cpuMsPerStep() {
      return cpuNanos / 1e6 / steps;
    }
  }

  private void overhead(ActorSystem<Void> system, ModelClient models, List<TaskInstance> suite,
      List<SimTask> simTasks) throws Exception {
    phase.accept("starting the simulated pool (no latency)");
    try (SimPoolServer sim = SimPoolServer.start(settings.pool(), simTasks,
        SimPoolOptions.from(settings.raw()).withSeed(options.seed()).withLatency(Duration.ZERO))) {
      ModelPool pool = settings.pool().withBaseUrl(sim.baseUrl());
      List<CaseTask> cases = BenchCaseRuns.cases(suite, options.cases(), "o");
      Map<Mode, List<Timed>> timings = new LinkedHashMap<>();
      // Warm-up rounds, untimed: timing them would bill compilation to whichever mode runs the
      // code last compiled (most often the journal's).
      int warmed = 0;
      int quietInARow = 0;
      double lastJitShare = 0;
      while (warmed < options.warmupRounds()
          || (quietInARow < 2 && warmed < options.maxWarmupRounds())) {
        long jit0 = JvmReadings.jitMillis();
        long t0 = System.nanoTime();
        for (Mode mode : Mode.values()) {
          phase.accept("warm-up " + (warmed + 1) + " " + mode.label);
          sequential(mode, system, models, pool, cases);
        }
        lastJitShare = (JvmReadings.jitMillis() - jit0) / Math.max(1e-3, (System.nanoTime() - t0) / 1e6);
        quietInARow = lastJitShare < QUIET_JIT_SHARE ? quietInARow + 1 : 0;
        warmed++;
      }
      phase.total(1 + 4 * (warmed + options.rounds()) + 2);
      for (int round = 0; round < options.rounds(); round++) {
        for (Mode mode : Mode.values()) {
          phase.accept("round " + (round + 1) + " " + mode.label);
          timings.computeIfAbsent(mode, m -> new ArrayList<>())
              .add(sequential(mode, system, models, pool, cases));
        }
      }
      out.printf(Locale.ROOT, "%nPart 1: overhead per step, no model latency, %d cases x %d steps"
          + " one after the other, median of %d rounds after %d warm-up rounds (the JIT compiled"
          + " for %.0f%% of the last one; JIT ms: compilation during the timed rounds)%n",
          options.cases(), options.steps(), options.rounds(), warmed, 100 * lastJitShare);
      out.printf(Locale.ROOT, "  %-24s %10s %10s %10s %12s %10s %10s %10s%n", "", "ms/step",
          "x baseline", "added ms", "CPU ms/step", "added CPU", "JIT ms", "cost $");
      double base = median(timings.get(Mode.BARE), Timed::msPerStep);
      double baseCpu = median(timings.get(Mode.BARE), Timed::cpuMsPerStep);
      double previous = base;
      double previousCpu = baseCpu;
      for (Mode mode : Mode.values()) {
        double ms = median(timings.get(mode), Timed::msPerStep);
        double cpu = median(timings.get(mode), Timed::cpuMsPerStep);
        double cost = timings.get(mode).get(0).costUsd();
        boolean first = mode == Mode.BARE;
        long jit = timings.get(mode).stream().mapToLong(Timed::jitMillis).sum();
        out.printf(Locale.ROOT, "  %-24s %10.3f %10.2f %10s %12.3f %10s %10d %10.5f%n", mode.label,
            ms, ms / base, first ? "" : String.format(Locale.ROOT, "%+.3f", ms - previous), cpu,
            first ? "" : String.format(Locale.ROOT, "%+.3f", cpu - previousCpu), jit, cost);
        previous = ms;
        previousCpu = cpu;
      }
      double total = median(timings.get(Mode.JOURNAL), Timed::msPerStep) - base;
      double totalCpu = median(timings.get(Mode.JOURNAL), Timed::cpuMsPerStep) - baseCpu;
      out.printf(Locale.ROOT, "  orchestration overhead (actors + router + journal): %.3f ms per"
          + " step wall, %.3f ms CPU (target < 2 ms): %s%n", total, totalCpu,
          total < 2 ? "met" : totalCpu < 2 ? "met in CPU time, not in wall time" : "MISSED");
    }
  }

  private Timed sequential(Mode mode, ActorSystem<Void> system, ModelClient models,
      ModelPool pool, List<CaseTask> cases) throws Exception {
    ChatModel chat = new ModelClientChat(models, RequestOptions.miniDefaults());
    if (mode == Mode.BARE || mode == Mode.ROUTER) {
      RouteChooser router = mode == Mode.ROUTER ? caseRuns.chooser(system, pool) : null;
      long t0 = System.nanoTime();
      long c0 = JvmReadings.processCpuNanos();
      long j0 = JvmReadings.jitMillis();
      long steps = 0;
      double cost = 0;
      for (CaseTask task : cases) {
        CaseLoop loop = bareCase(task, pool, chat, router, options.steps());
        steps += loop.calls();
        cost += loop.costUsd();
      }
      return new Timed(System.nanoTime() - t0, JvmReadings.processCpuNanos() - c0, JvmReadings.jitMillis() - j0, steps,
          cost);
    }
    CaseDeps deps = caseRuns.deps(system, pool, chat, mode == Mode.JOURNAL, options.steps());
    long t0 = System.nanoTime();
    long c0 = JvmReadings.processCpuNanos();
    long j0 = JvmReadings.jitMillis();
    RunProgress p = caseRuns.actorRun(system, deps, cases, 1, progress -> {});
    return new Timed(System.nanoTime() - t0, JvmReadings.processCpuNanos() - c0, JvmReadings.jitMillis() - j0, p.steps(),
        p.spendUsd());
  }

  /** The loop as {@code CaseRunner} drives it, on the calling thread, without files. */
  private CaseLoop bareCase(CaseTask task, ModelPool pool, ChatModel chat, RouteChooser router,
      int steps) throws Exception {
    LiveTrackSettings limits = caseRuns.limits(steps);
    CaseLoop loop = new CaseLoop(task, pool, limits, agent, templates);
    PoolModel high = pool.forTier(Tier.HIGH).orElseThrow();
    try (Shell shell = new SandboxShell(new TrivialSandbox(task.instanceId()))) {
      while (loop.exit().isEmpty()) {
        Optional<RouterContext> request = loop.nextCall(CaseDeps.wallClock().getAsDouble());
        if (request.isEmpty()) {
          break;
        }
        RouterDecision decision = router == null
            ? new RouterDecision(high.modelId(), high.tier(), null, 0)
            : router.choose(request.get()).toCompletableFuture().get();
        PoolModel model = loop.accept(decision);
        ModelTurn turn = chat.complete(model, loop.conversation(), loop.tools());
        TurnResult result = loop.onTurn(request.get().stepIndex(), model, decision, turn);
        if (result instanceof TurnResult.Priced priced) {
          boolean submitted = false;
          for (Action a : priced.actions()) {
            var r = shell.exec(a.command(), limits.commandTimeout());
            if (loop.onActionResult(a, r, CaseDeps.wallClock().getAsDouble())) {
              submitted = true;
              break;
            }
          }
          if (!submitted) {
            loop.endStep();
          }
        }
      }
    }
    return loop;
  }

  // --- part 2: many cases at once ---

  private void concurrency(ActorSystem<Void> system, ModelClient models,
      List<TaskInstance> suite, List<SimTask> simTasks) throws Exception {
    int n = options.concurrent();
    phase.accept("starting the simulated pool (" + options.latency().toMillis() + " ms latency)");
    try (SimPoolServer sim = SimPoolServer.start(settings.pool(), simTasks,
        SimPoolOptions.from(settings.raw()).withSeed(options.seed())
            .withLatency(options.latency()))) {
      ModelPool pool = settings.pool().withBaseUrl(sim.baseUrl());
      ChatModel chat = new ModelClientChat(models, RequestOptions.miniDefaults());
      long expectedSteps = (long) n * options.concurrentSteps();

      phase.accept(n + " bare loops on " + n + " threads");
      long heapBefore = JvmReadings.heapAfterGc();
      RouteChooser router = caseRuns.chooser(system, pool);
      AtomicLong stepsDone = new AtomicLong();
      HalfwayHeapProbe bareHeap = new HalfwayHeapProbe(expectedSteps / 2);
      ExecutorService threads = Executors.newFixedThreadPool(n);
      long t0 = System.nanoTime();
      List<Future<CaseLoop>> futures = new ArrayList<>();
      for (CaseTask task : BenchCaseRuns.cases(suite, n, "b")) {
        futures.add(threads.submit(() -> {
          CaseLoop loop = bareCase(task, pool, countingSteps(chat, stepsDone, bareHeap), router,
              options.concurrentSteps());
          return loop;
        }));
      }
      long bareSteps = 0;
      for (Future<CaseLoop> f : futures) {
        bareSteps += f.get().calls();
      }
      long bareNanos = System.nanoTime() - t0;
      threads.shutdown();
      long bareDuring = bareHeap.await();
      // the finished bare loops hold their whole conversations: let them go before the heap is
      // read for the journalled cases
      futures.clear();

      phase.accept(n + " cases under the run supervisor, journalled");
      long actorBefore = JvmReadings.heapAfterGc();
      HalfwayHeapProbe actorHeap = new HalfwayHeapProbe(expectedSteps / 2);
      long t1 = System.nanoTime();
      RunProgress p = caseRuns.actorRun(system,
          caseRuns.deps(system, pool, chat, true, options.concurrentSteps()), BenchCaseRuns.cases(suite, n, "a"), n,
          progress -> actorHeap.offer(progress.steps()));
      long actorNanos = System.nanoTime() - t1;
      long actorDuring = actorHeap.await();

      out.printf(Locale.ROOT, "%nPart 2: %d cases at once, %d steps each, %d ms mean model latency"
          + " (the ideal is %.0f steps/s)%n", n, options.concurrentSteps(),
          options.latency().toMillis(),
          n / Math.max(1e-3, options.latency().toMillis() / 1000.0));
      out.printf(Locale.ROOT, "  %-34s %10s %10s %14s %14s %12s%n", "", "steps/s", "x baseline",
          "heap before", "heap during", "per case");
      double bareRate = bareSteps / (bareNanos / 1e9);
      double actorRate = p.steps() / (actorNanos / 1e9);
      row("bare loops, one thread each (base)", bareRate, 1.0, heapBefore, bareDuring, n);
      row("run supervisor + actors + journal", actorRate, actorRate / bareRate, actorBefore,
          actorDuring, n);
      out.printf(Locale.ROOT, "  heap of %d journalled cases while running: %d MiB (target < 1024"
          + " MiB): %s; heap per case %.2f x the bare loop's%n", n, actorDuring >> 20,
          actorDuring < (1L << 30) ? "met" : "MISSED",
          (double) Math.max(1, actorDuring - actorBefore) / Math.max(1, bareDuring - heapBefore));
      out.printf(Locale.ROOT, "  most model calls in flight at once at the pool: %d%n",
          sim.maxConcurrentRequests());
    }
  }

  private void row(String label, double rate, double ratio, long before, long during, int n) {
    out.printf(Locale.ROOT, "  %-34s %10.1f %10.2f %10d MiB %10d MiB %8.1f KiB%n", label, rate,
        ratio, before >> 20, during >> 20, (during - before) / 1024.0 / n);
  }

  /** Counts answered model calls, and triggers the heap probe when enough were made. */
  private static ChatModel countingSteps(ChatModel chat, AtomicLong steps, HalfwayHeapProbe probe) {
    return (model, messages, tools) -> {
      ModelTurn t = chat.complete(model, messages, tools);
      probe.offer(steps.incrementAndGet());
      return t;
    };
  }

  private static double median(List<Timed> timings, ToDoubleFunction<Timed> figure) {
    double[] ms = timings.stream().mapToDouble(figure).sorted().toArray();
    return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
  }

  /** Time the JIT compilers have spent so far, in ms (0 where the JVM does not say). */
}
