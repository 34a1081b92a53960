package io.twinrouter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.sandbox.docker.DockerSandboxProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sandbox contract and the Docker specifics against the real engine. */
class DockerSandboxIT extends SandboxContract {

  @Override
  SandboxProvider newProvider(SandboxSettings s) {
    return DockerSandboxProvider.connect(s);
  }

  @Override
  int leftovers(String run) {
    return ((DockerSandboxProvider) provider).containerIds(run).size();
  }

  @Test
  void containersAreLabelledLimitedAndRemovedOnClose() {
    DockerSandboxProvider docker = (DockerSandboxProvider) provider;
    String run = runId + "-labels";
    Sandbox s = provider.open(SandboxSpec.of(run, "limits").withLimits(new Limits(300L << 20, 500_000_000L, 64)));
    try {
      assertEquals(1, docker.containerIds(run).size());
      assertTrue(docker.containerIds(run).get(0).startsWith(s.id()));
      ExecResult r =
          s.exec(
              "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max "
                  + "/sys/fs/cgroup/cpu/cpu.cfs_quota_us; grep -E 'Cap(Eff|Bnd)' /proc/self/status",
              Duration.ofSeconds(10));
      String[] lines = r.stdout().split("\n");
      assertEquals(Long.toString(300L << 20), lines[0], r.stdout());
      assertEquals("64", lines[1]);
      assertEquals("50000", lines[2]);
      // every capability dropped, from the bounding set too (docs/security.md says why none is kept)
      assertEquals("CapEff:\t0000000000000000", lines[3], "no capabilities");
      assertEquals("CapBnd:\t0000000000000000", lines[4], "none to regain");
    } finally {
      s.close();
    }
    assertEquals(0, docker.containerIds(run).size());
    s.close(); // idempotent
  }

  @Test
  void onlyTheCapabilitiesOfCapAddComeBack() {
    SandboxSettings chown = new SandboxSettings(
        "docker", settings.limits(), "", "{id}", "x86_64", false, settings.baseImage(), "commit", 4096,
        Duration.ofSeconds(60), Duration.ofSeconds(5), settings.dockerHost(), Duration.ofSeconds(2),
        Duration.ofSeconds(30), 4, settings.localWorkRoot(), "bwrap", false,
        settings.localRootfs(), List.of("CHOWN"), settings.grading());
    try (SandboxProvider p = newProvider(chown);
        Sandbox s = p.open(SandboxSpec.of(runId, "cap-add"))) {
      ExecResult r = s.exec("grep CapEff /proc/self/status", Duration.ofSeconds(10));
      assertEquals("CapEff:\t0000000000000001\n", r.stdout(), "CAP_CHOWN (bit 0) alone");
    }
  }

  @Test
  void aMissingImageThatCannotBePulledIsNamed() {
    String image = "127.0.0.1:1/twinrouter/no-such-image:latest";
    SandboxException e =
        assertThrows(SandboxUnavailableException.class, () -> provider.open(SandboxSpec.of(runId, "missing").withImage(image)));
    assertTrue(e.getMessage().contains(image) && e.getMessage().contains("could not be pulled"), e.getMessage());

    try (SandboxProvider noPull = newProvider(settings.withPullMissing(false))) {
      SandboxException off =
          assertThrows(SandboxUnavailableException.class, () -> noPull.open(SandboxSpec.of(runId, "missing").withImage(image)));
      assertTrue(off.getMessage().contains(image) && off.getMessage().contains("pull-missing"), off.getMessage());
    }
  }

  @Test
  void noEngineGivesAClearError() {
    SandboxSettings nowhere =
        new SandboxSettings(
            "docker", settings.limits(), "", "{id}", "x86_64", false, settings.baseImage(), "commit", 4096,
            Duration.ofSeconds(5), Duration.ofSeconds(5), "unix:///nonexistent/docker.sock", Duration.ofSeconds(2),
            Duration.ofSeconds(5), 4, settings.localWorkRoot(), "bwrap", settings.dockerExecServer(),
            settings.localRootfs(), settings.dockerCapAdd(), settings.grading());
    SandboxException e = assertThrows(SandboxUnavailableException.class, () -> DockerSandboxProvider.connect(nowhere));
    assertTrue(e.getMessage().contains("unix:///nonexistent/docker.sock"), e.getMessage());
  }
}
