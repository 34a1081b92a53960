package io.twinrouter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.twinrouter.sandbox.docker.DockerSandboxProvider;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/** Leftovers go at start-up and at actor-system shutdown (CoordinatedShutdown), on the real engine. */
class SandboxReaperIT {

  @Test
  void reapsAtStartUpAndWhenTheActorSystemTerminates() throws Exception {
    String runId = "reaper-" + UUID.randomUUID().toString().substring(0, 8);
    SandboxSettings settings = SandboxSettings.load();
    try (DockerSandboxProvider docker = DockerSandboxProvider.connect(settings)) {
      // a container of this run left by an earlier, crashed process
      docker.open(SandboxSpec.of(runId, "left-by-a-crash"));
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "reaper-it");
      try {
        assertEquals(1, SandboxReaper.reapNowAndOnShutdown(system, docker, runId));
        assertEquals(0, docker.containerIds(runId).size());
        Sandbox running = docker.open(SandboxSpec.of(runId, "running-at-shutdown"));
        assertEquals(0, running.exec("true", Duration.ofSeconds(30)).exitCode());
        assertEquals(1, docker.containerIds(runId).size());
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      assertEquals(0, docker.containerIds(runId).size(), "removed by the shutdown task");
    }
  }
}
