package io.twinrouter.orchestrator.cluster;

import com.typesafe.config.Config;
import io.twinrouter.config.TwinrouterSettings;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * A node of a twinrouter cluster: joins the seed nodes on 127.0.0.1, hosts case entities (Cluster
 * Sharding with remember-entities on the shared JDBC journal), at most {@code max-cases} at once,
 * and may host the run coordinator (a cluster singleton on the oldest node).
 */
public final class ClusterNode {
  private ClusterNode() {}

  /** The running node; {@link #close()} leaves the cluster and stops what the node started. */
  public record Handle(ActorSystem<Void> system, NodeRuns runs) implements AutoCloseable {
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
    Config config = cluster.pekkoConfig(List.of(ClusterSettings.NODE_ROLE),
        cluster.journal().pekkoConfig().withFallback(settings.raw()));
    NodeRuns runs = new NodeRuns(settings, cluster.host() + "_" + cluster.port());
    ActorSystem<Void> system = ActorSystem.create(
        guardian(cluster, settings, runs), ClusterSettings.SYSTEM_NAME, config);
    return new Handle(system, runs);
  }

  /** The singleton's proxy on any member (clients included): it runs on nodes only. */
  public static ActorRef<RunCoordinator.Command> coordinator(
      ActorSystem<?> system, TwinrouterSettings settings) {
    return ClusterSingleton.get(system).init(
        SingletonActor.of(RunCoordinator.create(settings), "run-coordinator")
            .withSettings(ClusterSingletonSettings.create(system).withRole(ClusterSettings.NODE_ROLE)));
  }

  private static Behavior<Void> guardian(
      ClusterSettings cluster, TwinrouterSettings settings, NodeRuns runs) {
    return Behaviors.setup(ctx -> {
      ActorRef<NodeSlots.Command> slots = ctx.spawn(NodeSlots.create(cluster.maxCases()), "slots");
      ActorRef<RunCoordinator.Command> coordinator = coordinator(ctx.getSystem(), settings);
      String node = cluster.host() + ":" + cluster.port();
      CaseEntity.NodeParts parts = new CaseEntity.NodeParts(node, coordinator, slots, runs);
      ClusterSharding.get(ctx.getSystem()).init(
          Entity.of(CaseEntity.TYPE_KEY,
                  ec -> CaseEntity.create(ec.getEntityId(), ec.getShard(), parts))
              .withStopMessage(new CaseEntity.Stop())
              .withRole(ClusterSettings.NODE_ROLE));
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
