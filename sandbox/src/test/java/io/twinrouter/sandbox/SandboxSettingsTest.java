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
  void theGradingSandboxKeepsTheAgentSandboxsSafetyUnlessToldOtherwise() {
    SandboxSettings s = SandboxSettings.load();
    assertEquals(new GradingSandbox("none", s.limits(), s.outputLimitBytes()), s.grading());
    SandboxSpec graded = s.grading().apply(SandboxSpec.of("r", "c"));
    assertTrue(graded.networkDisabled());
    assertEquals(s.limits(), graded.limits());
    assertEquals(s.outputLimitBytes(), graded.outputLimitBytes());

    // as SWE-bench's harness grades: network on, no limits, a larger output cap
    SandboxSettings harness = SandboxSettings.from(ConfigFactory.parseString(
            "twinrouter.sandbox.grading { network = bridge, limits { memory = 0, cpus = 0, pids = 0 },"
                + " output-limit = 64MiB }")
        .withFallback(ConfigFactory.load()));
    assertEquals(new GradingSandbox("bridge", Limits.none(), 64 << 20), harness.grading());
    assertEquals("bridge", harness.grading().apply(SandboxSpec.of("r", "c")).network());

    SettingsException local = assertThrows(SettingsException.class,
        () -> harness.withBackend("local"));
    assertTrue(local.getMessage().contains("grading.network = bridge needs the docker sandbox"),
        local.getMessage());
    SettingsException bad = assertThrows(SettingsException.class, () -> SandboxSettings.from(
        ConfigFactory.parseString("twinrouter.sandbox.grading.network = \"host; rm\"")
            .withFallback(ConfigFactory.load())));
    assertTrue(bad.getMessage().contains("twinrouter.sandbox.grading.network"), bad.getMessage());
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
