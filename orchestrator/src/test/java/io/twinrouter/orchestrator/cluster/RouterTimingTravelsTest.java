package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.twinrouter.config.RouterTiming;
import io.twinrouter.config.TwinrouterSettings;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.Test;

/**
 * {@code live run --cluster --router-timeout --on-router-error}: the timing travels in the run
 * through the cluster's serializer and is laid over each node's settings.
 */
class RouterTimingTravelsTest {

  static ClusterRunSpec spec(RouterTiming timing) {
    return new ClusterRunSpec("r", "always-high", "bundled", "always-high", "sim", "local",
        "/tmp/r", 7, List.of("a"), List.of("a"), 2, 100, 1000, 1.0, null, null, null, timing);
  }

  static ClusterRunSpec overTheWire(ActorTestKit kit, ClusterRunSpec spec) {
    Serialization s = SerializationExtension.get(kit.system().classicSystem());
    byte[] wire = s.serialize(spec).get();
    var serializer = s.findSerializerFor(spec);
    String manifest = serializer instanceof SerializerWithStringManifest m
        ? m.manifest(spec) : ClusterRunSpec.class.getName();
    return (ClusterRunSpec) s.deserialize(wire, serializer.identifier(), manifest).get();
  }

  @Test
  void theClientsTimingReachesTheNodesSettings() {
    TwinrouterSettings node = TwinrouterSettings.load();
    ActorTestKit kit = OneNodeCluster.kit();
    try {
      ClusterRunSpec back = overTheWire(kit, spec(new RouterTiming(1_500L, "tier:low")));
      assertEquals(new RouterTiming(1_500L, "tier:low"), back.routerTiming());
      TwinrouterSettings s = back.withRouterTiming(node);
      assertEquals(Duration.ofMillis(1_500), s.liveTrack().selectTimeout());
      assertEquals("tier:low", s.liveTrack().onRouterError().wireName());

      ClusterRunSpec own = overTheWire(kit, spec(null));
      assertNull(own.routerTiming());
      assertEquals(node.liveTrack(), own.withRouterTiming(node).liveTrack(),
          "without timing the nodes keep their own settings");
      ClusterRunSpec onlyTimeout = overTheWire(kit, spec(new RouterTiming(4_000L, null)));
      assertEquals("end", onlyTimeout.withRouterTiming(node).liveTrack().onRouterError()
          .wireName());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
