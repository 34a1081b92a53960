package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunInputTest {
  @TempDir Path dir;

  @Test
  void aPoolFileTravelsInTheRunThroughTheClustersSerializerAndIsCachedByHash() throws Exception {
    Path pool = Files.writeString(dir.resolve("pool.conf"), "models = []\n");
    RunInput input = RunInput.read(pool, "--pool");
    ClusterRunSpec spec = new ClusterRunSpec("r", "always-high", "bundled", "always-high",
        pool.toString(), "local", dir.toString(), 7, List.of("a"), List.of("a"), 2, 100, 1000,
        1.0, null, null, input, null, false);
    ActorTestKit kit = OneNodeCluster.kit();
    try {
      Serialization s = SerializationExtension.get(kit.system().classicSystem());
      byte[] wire = s.serialize(spec).get();
      ClusterRunSpec back = (ClusterRunSpec) s.deserialize(wire, s.findSerializerFor(spec).identifier(),
          s.findSerializerFor(spec) instanceof org.apache.pekko.serialization.SerializerWithStringManifest m
              ? m.manifest(spec) : ClusterRunSpec.class.getName()).get();
      assertArrayEquals(input.bytes(), back.poolFile().bytes());
      assertEquals(input.sha256(), back.poolFile().sha256());

      Path nodeInputs = dir.resolve("node-work/inputs");
      Files.delete(pool); // the node never reads the client's file
      Path cached = back.poolFile().cache(nodeInputs);
      assertTrue(cached.startsWith(nodeInputs));
      assertEquals("models = []\n", Files.readString(cached));
      assertEquals(cached, back.poolFile().cache(nodeInputs), "cached once, by hash");
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void damagedOrLargeInputsAreRefused() throws Exception {
    RunInput good = RunInput.read(Files.writeString(dir.resolve("p.json"), "{}"), "--pool");
    RunInput damaged = new RunInput(good.name(), good.sha256(), "{ }".getBytes(StandardCharsets.UTF_8));
    assertThrows(IllegalStateException.class, () -> damaged.cache(dir.resolve("inputs")));
    Path big = Files.write(dir.resolve("big.json"), new byte[RunInput.MAX_BYTES + 1]);
    var e = assertThrows(IllegalArgumentException.class, () -> RunInput.read(big, "--pool"));
    assertTrue(e.getMessage().contains("--pool"), e.getMessage());
  }
}
