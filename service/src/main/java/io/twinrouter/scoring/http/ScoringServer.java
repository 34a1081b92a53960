package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;

import com.typesafe.config.Config;
import io.twinrouter.scoring.gap.GapService;
import io.twinrouter.scoring.gap.GapSources;
import io.twinrouter.scoring.service.Comparisons;
import io.twinrouter.scoring.service.LiveRuns;
import io.twinrouter.scoring.service.ScoringActor;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The scoring service: an actor system whose guardian spawns the {@link ScoringActor} and the
 * {@link LiveRuns} registry, starts
 * loading the banks on the scoring dispatcher and binds the HTTP routes. The binding is
 * terminated in CoordinatedShutdown, so {@link #close()} drains requests in flight.
 */
public final class ScoringServer implements AutoCloseable {
  public static final String SCORING_DISPATCHER = "twinrouter.scoring-dispatcher";

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final ActorRef<LiveRuns.Command> liveRuns;
  private final ActorRef<Comparisons.Command> comparisons;

  private ScoringServer(ActorSystem<Void> system, ServerBinding binding,
      ActorRef<LiveRuns.Command> liveRuns, ActorRef<Comparisons.Command> comparisons) {
    this.system = system;
    this.binding = binding;
    this.liveRuns = liveRuns;
    this.comparisons = comparisons;
  }

  /**
   * Starts the service and completes once it listens (banks may still be loading: {@code
   * /health} says when they are in).
   *
   * @param loadBanks runs on the scoring dispatcher
   */
  public static CompletionStage<ScoringServer> start(
      Config config, HttpSettings settings, StaticEvaluations statics, Supplier<List<ServedBank>> loadBanks) {
    return start(config, settings, statics, loadBanks,
        GapSources.none(statics.settings().liveTrack().failurePenaltyUsd()));
  }

  /** As above, with the live run directories the gap report ({@code GET /v1/gap}) reads. */
  public static CompletionStage<ScoringServer> start(Config config, HttpSettings settings,
      StaticEvaluations statics, Supplier<List<ServedBank>> loadBanks, GapSources gap) {
    CompletableFuture<ServerBinding> bound = new CompletableFuture<>();
    CompletableFuture<ActorRef<LiveRuns.Command>> registry = new CompletableFuture<>();
    CompletableFuture<ActorRef<Comparisons.Command>> compared = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(
        Behaviors.setup(ctx -> {
          Executor scoringExecutor = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(SCORING_DISPATCHER));
          ActorRef<LiveRuns.Command> liveRuns = ctx.spawn(LiveRuns.create(scoringExecutor), "live-runs");
          registry.complete(liveRuns);
          ActorRef<Comparisons.Command> comparisons = ctx.spawn(Comparisons.create(), "comparisons");
          compared.complete(comparisons);
          bind(ctx, settings, statics, loadBanks, gap, liveRuns, comparisons).whenComplete((b, failure) -> {
            if (failure != null) {
              bound.completeExceptionally(failure);
              ctx.getSystem().terminate();
            } else {
              bound.complete(b);
            }
          });
          return Behaviors.empty();
        }),
        "twinrouter-scoring",
        settings.pekkoConfig(config));
    return bound.thenApply(b -> new ScoringServer(system, b, registry.join(), compared.join()));
  }

  /**
   * Binds the service's routes in {@code ctx}'s actor system against {@code liveRuns}, a registry
   * owned by the caller (this service's own, or a cluster node's proxy of the registry singleton).
   * Spawns the {@link ScoringActor} and starts loading the banks on the scoring dispatcher; the
   * binding is terminated in CoordinatedShutdown, so stopping the system drains requests in flight.
   * The system must run with {@link HttpSettings#pekkoConfig}.
   */
  public static CompletionStage<ServerBinding> bind(ActorContext<?> ctx, HttpSettings settings,
      StaticEvaluations statics, Supplier<List<ServedBank>> loadBanks, GapSources gap,
      ActorRef<LiveRuns.Command> liveRuns) {
    return bind(ctx, settings, statics, loadBanks, gap, liveRuns,
        ctx.spawn(Comparisons.create(), "comparisons"));
  }

  /** As above, with the registry of the comparisons ({@code compare --serve}) the service follows. */
  public static CompletionStage<ServerBinding> bind(ActorContext<?> ctx, HttpSettings settings,
      StaticEvaluations statics, Supplier<List<ServedBank>> loadBanks, GapSources gap,
      ActorRef<LiveRuns.Command> liveRuns, ActorRef<Comparisons.Command> comparisons) {
    Executor scoringExecutor = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(SCORING_DISPATCHER));
    CompletableFuture<List<ServedBank>> banks = CompletableFuture.supplyAsync(loadBanks, scoringExecutor);
    ActorRef<ScoringActor.Command> actor =
        ctx.spawn(ScoringActor.create(banks, settings.maxFinishedJobs()), "scoring");
    ScoringClient client = new ScoringClient(ctx.getSystem(), actor, settings.askTimeout());
    List<Route> guarded = List.of(
        new OpenApiRoutes().routes(),
        new StaticBankRoutes(client, statics).routes(),
        new ScoreRoutes(client, statics, scoringExecutor).routes(),
        new EvaluationRoutes(client, statics, scoringExecutor, settings).routes(),
        new JobRoutes(client).routes(),
        new LiveRunRoutes(ctx.getSystem(), liveRuns, settings.askTimeout()).routes(),
        new CompareRoutes(ctx.getSystem(), comparisons, settings.askTimeout()).routes(),
        new GapRoutes(client, new GapService(statics, scoringExecutor, gap)).routes());
    Route open = concat(new HealthRoutes(client).routes(), new UiRoutes().routes());
    Route all = new ApiRoutes(settings, open, guarded).routes();
    return Http.get(ctx.getSystem()).newServerAt(settings.host(), settings.port()).bind(all)
        .thenApply(b -> {
          // drain requests in flight before the system stops
          CoordinatedShutdown.get(ctx.getSystem()).addTask(
              CoordinatedShutdown.PhaseServiceRequestsDone(), "http-terminate",
              () -> b.terminate(Duration.ofSeconds(5)).thenApply(t -> Done.getInstance()));
          return b;
        });
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public String host() {
    return binding.localAddress().getHostString();
  }

  /**
   * The registry of live runs: a run in this actor system tells it its {@link
   * io.twinrouter.protocol.LiveRunUpdate}s, {@code serve --runs} loads finished runs into it.
   */
  public ActorRef<LiveRuns.Command> liveRuns() {
    return liveRuns;
  }

  /** The registry of comparisons: {@code compare --serve} tells it each look. */
  public ActorRef<Comparisons.Command> comparisons() {
    return comparisons;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Completes when the service has stopped (after {@link #close()} or a shutdown signal). */
  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the scoring service did not stop within 30 s", e);
    }
  }
}
