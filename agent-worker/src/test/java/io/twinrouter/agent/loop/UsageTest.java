package io.twinrouter.agent.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.twinrouter.config.Rates;
import org.junit.jupiter.api.Test;

class UsageTest {

  @Test
  void theSpecsOpusExampleCosts0_02875() {
    Usage u = new Usage(0, 20_000, 1_000, 500);
    assertEquals(21_000, u.totalPromptTokens());
    assertEquals(0.02875, u.costUsd(new Rates(5.0, 0.5, 6.25, 25.0)), 1e-12);
  }
}
