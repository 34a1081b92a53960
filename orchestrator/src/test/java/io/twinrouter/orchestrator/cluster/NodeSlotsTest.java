package io.twinrouter.orchestrator.cluster;

import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A node runs at most max-cases cases at once; a slot comes back on release or when its holder stops. */
class NodeSlotsTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void grantsAtMostMaxCasesAndFreesSlotsOfStoppedHolders() {
    ActorRef<NodeSlots.Command> slots = kit.spawn(NodeSlots.create(2));
    TestProbe<NodeSlots.Granted> a = kit.createTestProbe();
    TestProbe<NodeSlots.Granted> b = kit.createTestProbe();
    TestProbe<NodeSlots.Granted> c = kit.createTestProbe();
    ActorRef<Void> holderA = kit.spawn(Behaviors.empty());
    ActorRef<Void> holderB = kit.spawn(Behaviors.empty());
    ActorRef<Void> holderC = kit.spawn(Behaviors.empty());
    slots.tell(new NodeSlots.Acquire(holderA, a.getRef()));
    slots.tell(new NodeSlots.Acquire(holderB, b.getRef()));
    slots.tell(new NodeSlots.Acquire(holderC, c.getRef()));
    a.expectMessageClass(NodeSlots.Granted.class);
    b.expectMessageClass(NodeSlots.Granted.class);
    c.expectNoMessage(Duration.ofMillis(300));

    kit.stop(holderA); // a crashed or passivated entity must not keep its slot
    c.expectMessageClass(NodeSlots.Granted.class);

    TestProbe<NodeSlots.Granted> d = kit.createTestProbe();
    ActorRef<Void> holderD = kit.spawn(Behaviors.empty());
    slots.tell(new NodeSlots.Acquire(holderD, d.getRef()));
    d.expectNoMessage(Duration.ofMillis(300));
    slots.tell(new NodeSlots.Release(holderB));
    d.expectMessageClass(NodeSlots.Granted.class);
  }
}
