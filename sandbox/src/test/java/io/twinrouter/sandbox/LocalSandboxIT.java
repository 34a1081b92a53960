package io.twinrouter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.sandbox.local.LocalSandboxProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sandbox contract and the bwrap specifics on this machine. */
class LocalSandboxIT extends SandboxContract {

  @Override
  SandboxProvider newProvider(SandboxSettings s) {
    return LocalSandboxProvider.create(s);
  }

  @Override
  int leftovers(String run) {
    Path runDir = settings.localWorkRoot().resolve(run);
    if (!Files.isDirectory(runDir)) {
      return 0;
    }
    try (Stream<Path> list = Files.list(runDir)) {
      return (int) list.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theWorkDirectoryIsFreshAndRemovedOnClose() {
    Sandbox s = provider.open(SandboxSpec.of(runId, "fresh"));
    Path dir = settings.localWorkRoot().resolve(runId).resolve(s.id());
    assertTrue(Files.isDirectory(dir.resolve("testbed")));
    assertEquals("", s.exec("ls -A", Duration.ofSeconds(10)).stdout());
    ExecResult hostWrite = s.exec("touch /usr/twinrouter-probe", Duration.ofSeconds(10));
    assertEquals(1, hostWrite.exitCode(), "the root filesystem is read-only inside");
    assertTrue(hostWrite.stderr().contains("Read-only file system"), hostWrite.stderr());
    s.close();
    assertFalse(Files.exists(dir));
    assertFalse(Files.exists(Path.of("/usr/twinrouter-probe")));
  }

  @Test
  void onlyTheSandboxDirectoriesAreWritableFromOutside() {
    try (Sandbox s = provider.open(SandboxSpec.of(runId, "paths"))) {
      SandboxException e = assertThrows(SandboxException.class, () -> s.writeFile("/etc/x", new byte[0]));
      assertTrue(e.getMessage().contains("/etc/x"), e.getMessage());
    }
  }

  @Test
  void aMissingRootfsIsNamedAndBuildRootfsMakesIt(@org.junit.jupiter.api.io.TempDir Path tmp) {
    Path target = tmp.resolve("rootfs");
    SandboxSettings there = withRootfs(target);
    SandboxException e = assertThrows(SandboxUnavailableException.class, () -> LocalSandboxProvider.create(there));
    assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("build-base --rootfs"), e.getMessage());
    // unpacked from the cached tarball that scripts/prepare-test-env made
    assertEquals(0, BaseImage.buildRootfs(target, false));
    try (SandboxProvider p = LocalSandboxProvider.create(there);
        Sandbox s = p.open(SandboxSpec.of(runId, "rootfs"))) {
      assertEquals("sandbox\n", s.exec("cat /etc/hostname", Duration.ofSeconds(30)).stdout());
    }
  }

  private SandboxSettings withRootfs(Path rootfs) {
    return new SandboxSettings(
        "local", settings.limits(), "", "{id}", "x86_64", false, settings.baseImage(), "commit", 4096,
        Duration.ofSeconds(30), Duration.ofSeconds(5), settings.dockerHost(), Duration.ofSeconds(2),
        Duration.ofSeconds(5), 4, settings.localWorkRoot(), settings.bwrap(), settings.dockerExecServer(),
        rootfs, settings.dockerCapAdd(), settings.grading());
  }

  @Test
  void aMissingBwrapIsNamed() {
    SandboxSettings noBwrap =
        new SandboxSettings(
            "local", settings.limits(), "", "{id}", "x86_64", false, settings.baseImage(), "commit", 4096,
            Duration.ofSeconds(5), Duration.ofSeconds(5), settings.dockerHost(), Duration.ofSeconds(2),
            Duration.ofSeconds(5), 4, settings.localWorkRoot(), "/nonexistent/bwrap", settings.dockerExecServer(),
            settings.localRootfs(), settings.dockerCapAdd(), settings.grading());
    SandboxException e = assertThrows(SandboxUnavailableException.class, () -> LocalSandboxProvider.create(noBwrap));
    assertTrue(e.getMessage().contains("bubblewrap"), e.getMessage());
  }
}
