package io.twinrouter.orchestrator.cluster;

import com.typesafe.config.Config;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.scoring.http.HttpSettings;
import io.twinrouter.scoring.http.ScoringServer;
import io.twinrouter.scoring.service.LiveRuns;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A node of a twinrouter cluster: joins the seed nodes (from its bind and advertised address,
 * loopback by default; over TLS with mutual authentication when given its certificates), hosts case entities (Cluster
 * Sharding with remember-entities on the shared JDBC journal), at most {@code max-cases} at once,
 * and may host the run coordinator and the live-run registry (cluster singletons on the oldest
 * node). With an HTTP port it serves the scoring service's routes, live runs from the registry.
 */
public final class ClusterNode {
  private ClusterNode() {}

  /**
   * The running node; {@link #close()} leaves the cluster and stops what the node started.
   *
   * @param http completes with the HTTP binding once the node listens (with null when it serves
   *     no HTTP), or fails when it cannot listen (the node then stops)
   */
  public record Handle(ActorSystem<Void> system, NodeRuns runs,
      CompletableFuture<ServerBinding> http) implements AutoCloseable {
    @Override
    public void close() {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
      runs.close();
    }
  }

  /** Creates the journal schema when missing, then starts the node. */
  public static Handle start(ClusterSettings cluster, TwinrouterSettings settings) {
    cluster.validate(true);
    ensureSchema(cluster);
    HttpSettings http = NodeHttp.settings(cluster, settings);
    Config config = cluster.pekkoConfig(List.of(ClusterSettings.NODE_ROLE),
        http.pekkoConfig(cluster.journal().pekkoConfig().withFallback(settings.raw())));
    NodeRuns runs = new NodeRuns(settings, cluster.memberTag(), cluster.nodeWorkDir());
    CompletableFuture<ServerBinding> bound = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(
        guardian(cluster, settings, runs, http, bound), ClusterSettings.SYSTEM_NAME, config);
    return new Handle(system, runs, bound);
  }

  /** The singleton's proxy on any member (clients included): it runs on nodes only. */
  public static ActorRef<RunCoordinator.Command> coordinator(
      ActorSystem<?> system, TwinrouterSettings settings) {
    return ClusterSingleton.get(system).init(
        SingletonActor.of(RunCoordinator.create(settings), "run-coordinator")
            .withSettings(ClusterSingletonSettings.create(system).withRole(ClusterSettings.NODE_ROLE)));
  }

  /**
   * The live-run registry singleton's proxy on any member. On (re)start the registry asks the run
   * coordinator for every run, as it may have moved here from a lost node empty-handed.
   */
  public static ActorRef<LiveRuns.Command> liveRuns(
      ActorSystem<?> system, TwinrouterSettings settings) {
    Behavior<LiveRuns.Command> registry = Behaviors.<LiveRuns.Command>supervise(
            Behaviors.setup(ctx -> {
              coordinator(ctx.getSystem(), settings).tell(RunCoordinator.PublishRuns.INSTANCE);
              return LiveRuns.create(ctx.getSystem().dispatchers().lookup(
                  DispatcherSelector.fromConfig(ScoringServer.SCORING_DISPATCHER)));
            }))
        .onFailure(SupervisorStrategy.restart());
    return ClusterSingleton.get(system).init(
        SingletonActor.of(registry, "live-runs")
            .withSettings(ClusterSingletonSettings.create(system).withRole(ClusterSettings.NODE_ROLE)));
  }

  private static Behavior<Void> guardian(ClusterSettings cluster, TwinrouterSettings settings,
      NodeRuns runs, HttpSettings http, CompletableFuture<ServerBinding> bound) {
    return Behaviors.setup(ctx -> {
      ActorRef<NodeSlots.Command> slots = ctx.spawn(NodeSlots.create(cluster.maxCases()), "slots");
      ActorRef<RunCoordinator.Command> coordinator = coordinator(ctx.getSystem(), settings);
      String node = cluster.memberAddress();
      CaseEntity.NodeParts parts = new CaseEntity.NodeParts(node, coordinator, slots, runs,
          settings.raw().getDuration("twinrouter.cluster.ask-timeout"),
          settings.raw().getDuration("twinrouter.cluster.ask-retry"));
      ClusterSharding.get(ctx.getSystem()).init(
          Entity.of(CaseEntity.TYPE_KEY,
                  ec -> CaseEntity.create(ec.getEntityId(), ec.getShard(), parts))
              .withStopMessage(new CaseEntity.Stop())
              .withRole(ClusterSettings.NODE_ROLE));
      StoredFile.init(ctx.getSystem());
      ActorRef<LiveRuns.Command> registry = liveRuns(ctx.getSystem(), settings);
      if (cluster.httpPort() == ClusterSettings.NO_HTTP) {
        bound.complete(null);
      } else {
        NodeHttp.bind(ctx, http, settings, registry).whenComplete((b, failure) -> {
          if (failure != null) {
            bound.completeExceptionally(failure);
            ctx.getSystem().terminate();
          } else {
            bound.complete(b);
          }
        });
      }
      ctx.spawn(announceUp(node), "announce-up");
      return Behaviors.empty();
    });
  }

  /** Says on stderr when this node is Up (scripts wait for it before submitting runs). */
  private static Behavior<SelfUp> announceUp(String node) {
    return Behaviors.setup(ctx -> {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
      return Behaviors.receive(SelfUp.class).onMessage(SelfUp.class, up -> {
        System.err.println("node " + node + " is up in the cluster ("
            + up.currentClusterState().members().size() + " member(s))");
        return Behaviors.stopped();
      }).build();
    });
  }

  /** Nodes starting together may race to create the tables: the loser checks again. */
  private static void ensureSchema(ClusterSettings cluster) {
    try {
      cluster.journal().ensureSchema();
    } catch (IllegalStateException first) {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      cluster.journal().ensureSchema();
    }
  }
}
