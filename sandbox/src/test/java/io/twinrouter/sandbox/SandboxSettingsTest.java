package io.twinrouter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.SettingsException;
import org.junit.jupiter.api.Test;

class SandboxSettingsTest {

  @Test
  void readsTheDefaults() {
    SandboxSettings s = SandboxSettings.load();
    assertEquals("docker", s.backend());
    assertEquals(2L << 30, s.limits().memoryBytes());
    assertEquals(1_000_000_000L, s.limits().nanoCpus());
    assertEquals(512, s.limits().pids());
    assertEquals("twinrouter/sandbox-base:bookworm", s.baseImage());
    assertEquals(2 << 20, s.outputLimitBytes());
    assertTrue(s.localWorkRoot().isAbsolute());
  }

  @Test
  void overridesApply() {
    SandboxSettings s =
        SandboxSettings.from(
            ConfigFactory.parseString(
                    "twinrouter.sandbox { backend = local, limits { memory = 256MiB, cpus = 0.5 } }")
                .withFallback(ConfigFactory.load()));
    assertEquals("local", s.backend());
    assertEquals(256L << 20, s.limits().memoryBytes());
    assertEquals(500_000_000L, s.limits().nanoCpus());
  }

  @Test
  void anUnknownBackendIsNamed() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                SandboxSettings.from(
                    ConfigFactory.parseString("twinrouter.sandbox.backend = podman")
                        .withFallback(ConfigFactory.load())));
    assertTrue(e.getMessage().contains("podman"), e.getMessage());
  }
}
