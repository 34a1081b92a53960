package io.twinrouter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class TwinrouterSettingsTest {

  @Test
  void referenceDefaultsMatchTheReferenceScorerAndLockedPool() {
    TwinrouterSettings s = TwinrouterSettings.load();
    assertEquals(0.08333, s.staticTrack().rates(Tier.MID_HIGH).cacheWrite());
    assertEquals(6.25, s.staticTrack().rates(Tier.HIGH).cacheWrite());
    assertEquals(3, s.staticTrack().cacheTtlSteps());
    assertEquals(970, s.staticTrack().manifestLineCounts().values().stream().mapToInt(i -> i).sum());
    assertEquals("bfcl", s.staticTrack().manifestLineCounts().keySet().iterator().next());
    assertEquals(4, s.pool().models().size());
    assertEquals("anthropic/claude-opus-4.6", s.pool().highBaseline().modelId());
    assertEquals("deepseek/deepseek-v3.2", s.pool().forTier(Tier.LOW).orElseThrow().modelId());
    assertEquals(250, s.liveTrack().stepLimit());
    assertEquals(0.60, s.liveTrack().failurePenaltyUsd());
  }

  @Test
  void aBadPoolEntryIsNamed() {
    var bad =
        ConfigFactory.parseString(
                "twinrouter.pool.models = [{ model-id = x, tier = huge, rates { input = 1,"
                    + " cache-read = 1, cache-write = 1, output = 1 } }]")
            .withFallback(ConfigFactory.load());
    SettingsException e = assertThrows(SettingsException.class, () -> TwinrouterSettings.from(bad));
    assertTrue(e.getMessage().contains("models[0]"), e.getMessage());
    assertTrue(e.getMessage().contains("huge"), e.getMessage());
  }

  @Test
  void tierNamesAndIdsRoundTrip() {
    for (Tier t : Tier.values()) {
      assertEquals(t, Tier.fromName(t.wireName()));
      assertEquals(t, Tier.fromId(t.id()));
    }
    assertThrows(IllegalArgumentException.class, () -> Tier.fromId(4));
  }
}
