package io.twinrouter.orchestrator.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.RunOutputs;
import io.twinrouter.scoring.compare.ComparePlan;
import io.twinrouter.scoring.compare.PairedComparison;
import io.twinrouter.scoring.compare.PairedComparison.CasePair;
import io.twinrouter.scoring.compare.SequentialDesign.Decision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One {@code compare}: the routers run the same cases in the same seeded order, a batch of cases
 * at a time, each router's arm a normal live run in its own folder ({@code --out DIR/<router>},
 * durable and resumable like any other); after each batch the sequential test of every pair
 * looks at the new pairs in order, and the comparison stops at a decision, at the case limit, or
 * when the budget can no longer reach a decision.
 *
 * <p>Why batches of whole live runs: a live run is the unit that is supervised, journaled and
 * resumable, so each look re-invokes the arm's run with the cases so far; the cases it already
 * finished are reused, never re-run. A batch of one looks after every pair; a larger batch pays
 * for a few cases past the deciding one but starts the arms' machinery fewer times.
 */
public final class CompareRun {

  public enum Stop {
    DECISION("every pair decided"),
    CASE_LIMIT("the case limit was reached"),
    BUDGET("the budget cannot reach a decision");

    public final String words;

    Stop(String words) {
      this.words = words;
    }
  }

  /** One pair of routers under test. */
  public record Pair(int a, int b, ComparePlan plan, PairedComparison comparison) {}

  /** Where the comparison stands, after each look and at the end. */
  public record Progress(CompareOptions options, List<String> casesRun, List<String> excluded,
      List<Pair> pairs, double spendUsd, double elapsedSeconds, Stop stop) {
    public boolean finished() {
      return stop != null;
    }
  }

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final CompareOptions o;
  private final TwinrouterSettings settings;

  public CompareRun(CompareOptions options, TwinrouterSettings settings) {
    this.o = options;
    this.settings = settings;
  }

  /** The plan of each pair, without running anything. */
  public List<Pair> plans() {
    List<Pair> pairs = new ArrayList<>();
    for (int[] p : o.pairs()) {
      ComparePlan plan = PlanSources.plan(o, o.alphaPerPair());
      pairs.add(new Pair(p[0], p[1], plan,
          new PairedComparison(plan.design(), plan.casesAtEffect(), billBoundUsd())));
    }
    return pairs;
  }

  /**
   * The most one router's bill for one case can be: the case's cost limit plus the last call's
   * allowance ({@code twinrouter.live.cost-limit-usd} and {@code
   * twinrouter.compare.last-call-usd}); the loop stops calling once the spend reaches the limit.
   * Infinite without a cost limit. The bill here is the API cost ({@code
   * total_router_cost_usd}), with no failure penalty: that one is the resolve difference again.
   */
  public double billBoundUsd() {
    double limit = settings.liveTrack().costLimitUsd();
    return limit > 0 ? limit + settings.raw().getDouble("twinrouter.compare.last-call-usd")
        : Double.POSITIVE_INFINITY;
  }

  /** The cases in the comparison's seeded order, at most {@code --max-cases}. */
  public List<String> caseOrder() {
    List<TaskInstance> tasks = TaskSuite.open(o.tasks(), o.out().resolve("suite"));
    List<String> ids = new ArrayList<>(tasks.stream().map(TaskInstance::instanceId).toList());
    Collections.shuffle(ids, new Random(o.seed()));
    return o.maxCases().map(m -> ids.subList(0, Math.min(m, ids.size()))).orElse(ids);
  }

  /**
   * Runs the comparison, each arm in an actor system of its own.
   *
   * @param progress hears where it stands after every look, last with {@code stop} set
   */
  public Progress run(Consumer<Progress> progress) throws IOException, InterruptedException {
    return run(progress, Optional.empty());
  }

  /**
   * Runs the comparison; with a host (the scoring service of {@code compare --serve}) every arm
   * runs in the host's actor system and reports to its live-run registry, so each arm is listed
   * and followed under {@code /v1/live/runs} like any live run.
   */
  public Progress run(Consumer<Progress> progress, Optional<LiveRun.Host> host)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    Files.createDirectories(o.out());
    List<String> order = caseOrder();
    List<Pair> pairs = plans();
    List<String> ran = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    double spend = 0;
    Stop stop = null;
    ExecutorService arms = Executors.newFixedThreadPool(o.routers().size() * o.repeats());
    try {
      while (stop == null) {
        List<Pair> open = pairs.stream()
            .filter(p -> p.comparison().decision() == Decision.CONTINUE).toList();
        int left = order.size() - ran.size();
        int affordable = affordable(spend, ran.size());
        if (open.isEmpty()) {
          stop = Stop.DECISION;
        } else if (left == 0) {
          stop = Stop.CASE_LIMIT;
        } else if (affordable == 0 || open.stream().noneMatch(p -> reachable(p, affordable))) {
          stop = affordable < left ? Stop.BUDGET : Stop.CASE_LIMIT;
        }
        if (stop != null) {
          break;
        }
        List<String> batch = order.subList(ran.size(),
            ran.size() + Math.min(o.batch(), Math.min(left, affordable)));
        ran.addAll(batch);
        runArms(arms, active(open), ran, host);
        for (String id : batch) {
          spend += addCase(id, pairs, excluded);
        }
        progress.accept(new Progress(o, List.copyOf(ran), List.copyOf(excluded), pairs, spend,
            seconds(started), null));
      }
    } finally {
      arms.shutdownNow();
    }
    Progress end = new Progress(o, List.copyOf(ran), List.copyOf(excluded), pairs, spend,
        seconds(started), stop);
    progress.accept(end);
    return end;
  }

  private boolean reachable(Pair p, int cases) {
    var s = p.comparison().standing();
    return p.plan().design().canDecideWithin(s.untied(), s.winsOfA(), cases);
  }

  /** Cases (for every router and repeat) the budget still pays for, at the spend per case so far. */
  private int affordable(double spend, int casesRun) {
    if (o.budgetUsd().isEmpty()) {
      return Integer.MAX_VALUE;
    }
    double left = o.budgetUsd().get() - spend;
    if (casesRun == 0) {
      return left > 0 ? Integer.MAX_VALUE : 0;
    }
    double perCase = spend / casesRun;
    return perCase <= 0 ? Integer.MAX_VALUE : (int) Math.floor(left / perCase);
  }

  private List<Integer> active(List<Pair> open) {
    List<Integer> routers = new ArrayList<>();
    for (Pair p : open) {
      for (int r : new int[] {p.a(), p.b()}) {
        if (!routers.contains(r)) {
          routers.add(r);
        }
      }
    }
    Collections.sort(routers);
    return routers;
  }

  /** Runs every active router's arms over the cases so far, all arms at the same time. */
  private void runArms(ExecutorService pool, List<Integer> routers, List<String> ids,
      Optional<LiveRun.Host> host) throws IOException, InterruptedException {
    Path idsFile = o.out().resolve("cases.txt");
    Files.write(idsFile, ids);
    List<Future<?>> running = new ArrayList<>();
    for (int router : routers) {
      for (int r = 0; r < o.repeats(); r++) {
        LiveRunOptions arm = armOptions(router, r, idsFile);
        running.add(pool.submit(() -> new LiveRun(arm, settings).run(e -> {}, false, host)));
      }
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException bad) {
          throw bad;
        }
        throw new IllegalStateException("an arm of the comparison failed: " + cause.getMessage(),
            cause);
      }
    }
  }

  LiveRunOptions armOptions(int router, int repeat, Path idsFile) {
    Path dir = o.armDir(router, repeat);
    LiveRunOptions lo = LiveRunOptions.of(o.tasks(), o.routers().get(router), o.sandbox(), dir)
        .withPool(o.pool()).withWorkers(o.workers()).withSeed(o.seed() + repeat)
        .withInstanceIds(idsFile);
    if (Files.isRegularFile(dir.resolve("run.json"))) {
      return lo; // the arm resumes under the run id it recorded
    }
    // distinct ids even for a router compared with itself: a run id names its sandboxes
    return lo.withRunId("compare-" + o.armName(router) + "-" + (repeat + 1) + "-"
        + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP));
  }

  /** Feeds one case to every pair that both routers ran it in; returns its spend. */
  private double addCase(String id, List<Pair> pairs, List<String> excluded) {
    int n = o.routers().size();
    double[] rate = new double[n];
    double[] bill = new double[n];
    boolean[] complete = new boolean[n];
    double spend = 0;
    for (int i = 0; i < n; i++) {
      int found = 0;
      for (int r = 0; r < o.repeats(); r++) {
        JsonNode result = RunOutputs.readIfPresent(RunOutputs.resultFile(o.armDir(i, r), id));
        if (result != null && result.isObject()) {
          found++;
          rate[i] += result.path("resolved").asBoolean() ? 1 : 0;
          bill[i] += result.path("total_router_cost_usd").asDouble();
        }
      }
      spend += bill[i];
      complete[i] = found == o.repeats();
      rate[i] /= Math.max(1, found);
      bill[i] /= Math.max(1, found);
    }
    boolean used = false;
    for (Pair p : pairs) {
      if (complete[p.a()] && complete[p.b()]) {
        p.comparison().add(new CasePair(id, rate[p.a()], rate[p.b()], bill[p.a()], bill[p.b()]));
        used = true;
      }
    }
    if (!used) {
      excluded.add(id); // an infrastructure error left a router without a verdict
    }
    return spend;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
