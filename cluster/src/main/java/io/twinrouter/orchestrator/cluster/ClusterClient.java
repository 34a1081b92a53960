package io.twinrouter.orchestrator.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.config.RouterTiming;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.RunOutputs;
import io.twinrouter.orchestrator.live.RunPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import io.twinrouter.orchestrator.run.CaseResult;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code live run --cluster}: joins the cluster as a client (no cases run here), ships the run's
 * inputs and submits the run to the run coordinator, or attaches to a run submitted before
 * ({@code --attach}), then follows it, writing every case's files and the run's files into
 * {@code --out} ({@link ClientFollower}). The run does not need the client: one that dies leaves
 * the run going, and another attaches.
 */
public final class ClusterClient {

  /**
   * How a clustered run ended: its id, label, directory, score and final update.
   *
   * @param reused cases an earlier invocation finished in {@code out}
   * @param notStarted the cases the budget kept from starting
   */
  public record Outcome(String runId, String routerLabel, Path out, ObjectNode score,
      RunCoordinator.RunUpdate last, List<String> reused, List<String> notStarted) {}

  /**
   * Why a run stopped: a node's preflight refused the pool ({@code preflight}: its keys or
   * endpoints), or a provider refused the run's set-up mid-run. No case starts after it; running
   * cases stop and keep their journalled steps; submitting the run again resumes it.
   */
  public record RunStop(String reason, boolean preflight) implements ClusterMessage {}

  /** The answer to {@link RunCoordinator.AttachRun}: the run's spec, null for an unknown run. */
  public record RunInfo(ClusterRunSpec spec) implements ClusterMessage {}

  /**
   * Some recorded cases (at most a frame's worth) and how many there are in all.
   *
   * @param ended every case has a result or was held back ({@code notStarted})
   * @param duplicates reports of finished cases ignored (memory only: since the coordinator
   *     last started)
   */
  public record CasesPage(List<RecordedCase> cases, int recorded, boolean ended,
      List<String> notStarted, int duplicates, RunStop stopped) implements ClusterMessage {}

  /** One case as recorded: its first result, the node it finished on, its files. */
  public record RecordedCase(CaseResult result, String node, List<FileRef> files, String nodeOut)
      implements ClusterMessage {}

  private ClusterClient() {}

  /**
   * Ships the run's inputs, submits the run and follows it to its end.
   *
   * @param specs the {@code --specs} file, or null
   * @param preflightCalls whether each node probes the pool's models before its first case (the
   *     keys and URLs are checked on every node either way)
   * @param progress hears every update of the run (the progress bar)
   * @throws IllegalArgumentException for bad input (tasks, ids, pool file, router name)
   */
  public static Outcome run(LiveRunOptions options, Path specs, boolean preflightCalls,
      TwinrouterSettings settings, RouterTiming timing, ClusterSettings cluster,
      Consumer<RunCoordinator.RunUpdate> progress)
      throws InterruptedException {
    cluster.validate(false);
    RunPlan plan = RunPlan.prepare(options, settings, Optional.empty());
    if (plan.runId().contains(ClusterRunSpec.SEPARATOR)) {
      throw new IllegalArgumentException("--run-id must not contain '" + ClusterRunSpec.SEPARATOR + "'");
    }
    RunInput pool = options.isSimulatedPool() ? null : RunInput.read(Path.of(options.pool()), "--pool");
    ActorSystem<Void> system = join(cluster, settings);
    try {
      RunShipment.Inputs inputs = RunShipment.ship(system, plan.tasks(), plan.taskFile(), specs);
      ClusterRunSpec spec = new ClusterRunSpec(plan.runId(), plan.label(), options.tasks(),
          options.router(), options.pool(), options.sandbox(), plan.out().toString(),
          options.seed(), plan.ids(), plan.toRun(), options.restartCap(),
          options.minBackoff().toMillis(), options.maxBackoff().toMillis(),
          System.currentTimeMillis() / 1000.0, options.budgetUsd().orElse(null), plan.identity(),
          pool, timing.isNone() ? null : timing, inputs, !preflightCalls);
      RunOutputs.write(plan.out().resolve("run.json"), runJson(spec, cluster));
      ClientFollower follower = new ClientFollower(system, settings, plan.out(), spec.runId());
      follower.submit(spec);
      return outcome(spec, plan.out(), follower.follow(spec, progress));
    } finally {
      leave(system);
    }
  }

  /**
   * Attaches to run {@code runId} of the cluster and follows it to its end, writing into {@code
   * out} every file of every case finished so far, then those of the others as they finish.
   *
   * @throws IllegalArgumentException when the cluster has no such run
   */
  public static Outcome attach(String runId, Path out, TwinrouterSettings settings,
      ClusterSettings cluster, Consumer<RunCoordinator.RunUpdate> progress)
      throws InterruptedException {
    cluster.validate(false);
    Path dir = out.toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    ActorSystem<Void> system = join(cluster, settings);
    try {
      ClientFollower follower = new ClientFollower(system, settings, dir, runId);
      ClusterRunSpec spec = follower.attach(runId);
      RunOutputs.write(dir.resolve("run.json"), runJson(spec, cluster));
      if (TaskSuite.BUNDLED.equals(spec.tasks())) {
        TaskSuite.bundled(dir.resolve("suite")); // as the submitting client's plan extracted it
      }
      return outcome(spec, dir, follower.follow(spec, progress));
    } finally {
      leave(system);
    }
  }

  /** {@code run.json}: the run id and the options it was submitted with. */
  private static ObjectNode runJson(ClusterRunSpec spec, ClusterSettings cluster) {
    ObjectNode j = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    j.put("run_id", spec.runId());
    j.put("router_label", spec.routerLabel());
    j.put("router", spec.router());
    j.put("tasks", spec.tasks());
    j.put("pool", spec.pool());
    j.put("sandbox", spec.sandbox());
    j.put("seed", spec.seed());
    if (spec.budgetUsd() != null) {
      j.put("budget_usd", spec.budgetUsd());
    }
    j.put("cluster", String.join(",", cluster.seedNodes()));
    return j;
  }

  private static Outcome outcome(ClusterRunSpec spec, Path out, ClientFollower.Ending end) {
    Set<String> toRun = new HashSet<>(spec.caseIds());
    List<String> reused = spec.allIds().stream().filter(id -> !toRun.contains(id)).toList();
    return new Outcome(spec.runId(), spec.routerLabel(), out, end.score(), end.last(), reused,
        end.notStarted());
  }

  private static ActorSystem<Void> join(ClusterSettings cluster, TwinrouterSettings settings) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME,
        cluster.withPort(0).pekkoConfig(List.of("client"), settings.raw()));
    StoredFile.init(system);
    return system;
  }

  /** Leaves the cluster gracefully, so the nodes need not wait for the downing provider. */
  private static void leave(ActorSystem<Void> system) {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
        .toCompletableFuture().join();
  }
}
