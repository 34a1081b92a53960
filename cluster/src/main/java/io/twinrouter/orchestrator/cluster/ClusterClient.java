package io.twinrouter.orchestrator.cluster;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.config.RouterTiming;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.RunOutputs;
import io.twinrouter.orchestrator.live.RunPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code live run --cluster}: joins the cluster as a client (no cases run here), submits the run
 * to the run coordinator and follows its progress until its files are written.
 */
public final class ClusterClient {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /**
   * How a clustered run ended: its id, label, directory, score and final update.
   *
   * @param notStarted the cases the budget kept from starting
   */
  public record Outcome(String runId, String routerLabel, Path out, ObjectNode score,
      RunCoordinator.RunUpdate last, List<String> reused, List<String> notStarted) {}

  private ClusterClient() {}

  /**
   * Submits the run and waits for it.
   *
   * @param progress hears every update of the run (the progress bar)
   * @throws IllegalArgumentException for bad input (tasks, ids, pool file, router name)
   */
  public static Outcome run(LiveRunOptions options, TwinrouterSettings settings,
      RouterTiming timing, ClusterSettings cluster, Consumer<RunCoordinator.RunUpdate> progress)
      throws InterruptedException {
    cluster.validate(false);
    RunPlan plan = RunPlan.prepare(options, settings, Optional.empty());
    if (plan.runId().contains(ClusterRunSpec.SEPARATOR)) {
      throw new IllegalArgumentException("--run-id must not contain '" + ClusterRunSpec.SEPARATOR + "'");
    }
    ObjectNode runJson = plan.runJson().put("cluster", String.join(",", cluster.seedNodes()));
    RunOutputs.write(plan.out().resolve("run.json"), runJson);
    String runId = plan.runId();
    String label = plan.label();
    Path out = plan.out();
    List<String> ids = plan.ids();
    ClusterRunSpec spec = new ClusterRunSpec(runId, label, options.tasks(), options.router(),
        options.pool(), options.sandbox(), out.toString(), options.seed(), ids, plan.toRun(),
        options.restartCap(), options.minBackoff().toMillis(), options.maxBackoff().toMillis(),
        System.currentTimeMillis() / 1000.0, options.budgetUsd().orElse(null), plan.identity(),
        options.isSimulatedPool() ? null : RunInput.read(Path.of(options.pool()), "--pool"),
        timing.isNone() ? null : timing);

    CompletableFuture<RunCoordinator.RunUpdate> finished = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(
        follower(spec, settings, progress, finished), ClusterSettings.SYSTEM_NAME,
        cluster.withPort(0).pekkoConfig(List.of("client"), settings.raw()));
    RunCoordinator.RunUpdate last;
    try {
      last = finished.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the clustered run failed: " + e.getCause().getMessage(), e);
    } finally {
      // leaves the cluster gracefully, so the nodes need not wait for the downing provider
      CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
          .toCompletableFuture().join();
    }
    if (last.error() != null) {
      throw new IllegalStateException("run " + runId + ": " + last.error());
    }
    List<String> notStarted = new ArrayList<>();
    readJson(out.resolve("eval_summary.json")).path("not_started")
        .forEach(id -> notStarted.add(id.asText()));
    return new Outcome(runId, label, out, readJson(Path.of(last.scoreFile())), last,
        plan.finishedBefore(), notStarted);
  }

  private static Behavior<Void> follower(ClusterRunSpec spec, TwinrouterSettings settings,
      Consumer<RunCoordinator.RunUpdate> progress,
      CompletableFuture<RunCoordinator.RunUpdate> finished) {
    Behavior<RunCoordinator.RunUpdate> follow = Behaviors.setup(ctx -> {
      ActorRef<RunCoordinator.Command> coordinator = ClusterNode.coordinator(ctx.getSystem(), settings);
      coordinator.tell(new RunCoordinator.SubmitRun(spec, ctx.getSelf()));
      return Behaviors.receive(RunCoordinator.RunUpdate.class)
          .onMessage(RunCoordinator.RunUpdate.class, u -> {
            progress.accept(u);
            if (u.finished() || u.error() != null) {
              finished.complete(u);
            }
            return Behaviors.same();
          })
          .build();
    });
    return Behaviors.setup(ctx -> {
      ctx.spawn(follow, "follow-" + spec.runId().replaceAll("[^A-Za-z0-9_-]", "_"));
      return Behaviors.empty();
    });
  }

  private static ObjectNode readJson(Path f) {
    try {
      return (ObjectNode) JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + f, e);
    }
  }
}
