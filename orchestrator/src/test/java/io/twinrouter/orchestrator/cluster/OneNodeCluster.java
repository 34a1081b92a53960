package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** A test kit whose system is a one-node cluster of the node role, with an in-memory journal. */
final class OneNodeCluster {

  private OneNodeCluster() {}

  static ActorTestKit kit() {
    return kit("");
  }

  /** The same, with {@code extra} HOCON over it. */
  static ActorTestKit kit(String extra) {
    return ActorTestKit.create(ConfigFactory.parseString(extra).withFallback(ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.cluster.roles = [node]
            pekko.cluster.jmx.enabled = off
            pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
            """))
        .withFallback(ConfigFactory.load()));
  }

  /**
   * Sharded stand-ins for the case entities, which only tell {@code heard} each message (with
   * their entity id): the coordinator under test only wakes or halts them.
   */
  static void standInCases(ActorTestKit kit,
      java.util.function.BiConsumer<String, CaseEntity.Command> heard) {
    org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(kit.system()).init(
        org.apache.pekko.cluster.sharding.typed.javadsl.Entity.of(CaseEntity.TYPE_KEY,
            ec -> org.apache.pekko.actor.typed.javadsl.Behaviors.receive(CaseEntity.Command.class)
                .onAnyMessage(m -> {
                  heard.accept(ec.getEntityId(), m);
                  return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
                }).build()));
  }

  /** Joins the kit's node to itself and waits until it is up. */
  static void join(ActorTestKit kit) {
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
      assertEquals(MemberStatus.up(), cluster.selfMember().status());
      return null;
    });
  }
}
