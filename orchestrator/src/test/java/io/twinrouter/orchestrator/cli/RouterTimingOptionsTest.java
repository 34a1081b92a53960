package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --router-timeout} and {@code --on-router-error}: parsed, applied, bad values exit 2. */
class RouterTimingOptionsTest {
  @TempDir Path dir;

  LiveCommandTest.Result live(String... timing) {
    String[] base = {"live", "run", "--router", "always-high", "--sandbox", "local",
        "--out", dir.resolve("out").toString()};
    String[] all = new String[base.length + timing.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(timing, 0, all, base.length, timing.length);
    return LiveCommandTest.run(all);
  }

  void assertRefused(LiveCommandTest.Result r, String option) {
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains(option + ": "), r.stderr());
    assertFalse(Files.exists(dir.resolve("out").resolve("run.json")), "nothing ran");
  }

  @Test
  void badValuesExit2NamingTheOption() {
    assertRefused(live("--on-router-error", "tier:nonexistent"), "--on-router-error");
    assertRefused(live("--on-router-error", "retry"), "--on-router-error");
    assertRefused(live("--router-timeout", "-1s"), "--router-timeout");
    assertRefused(live("--router-timeout", "0ms"), "--router-timeout");
    assertRefused(live("--router-timeout", "30"), "--router-timeout");
    assertRefused(LiveCommandTest.run("static", "route", "--bank", "bundled",
        "--router", "always-low",
        "--router-timeout", "soon", "--out", dir.resolve("p.jsonl").toString()),
        "--router-timeout");
    assertRefused(LiveCommandTest.run("compare", "--routers", "always-low,always-high",
        "--sandbox", "local", "--out", dir.resolve("out").toString(),
        "--on-router-error", "tier:nonexistent"), "--on-router-error");
  }

  @Test
  void aFallbackTierThePoolLacksIsRefused() throws Exception {
    // a pool file of two models, high and low: nothing of tier mid to fall back to
    StringBuilder models = new StringBuilder("models = [\n");
    for (var m : TwinrouterSettings.load().pool().models()) {
      if (m.tier() == Tier.HIGH || m.tier() == Tier.LOW) {
        models.append(String.format(Locale.ROOT, "{ model-id = \"%s\", tier = %s, base-url ="
            + " \"http://127.0.0.1:9/v1\", rates { input = %s, cache-read = %s, cache-write = %s,"
            + " output = %s } }%n", m.modelId(), m.tier().wireName(), m.rates().input(),
            m.rates().cacheRead(), m.rates().cacheWrite(), m.rates().output()));
      }
    }
    Path file = Files.writeString(dir.resolve("pool.conf"), models.append("]\n"));
    LiveCommandTest.Result r = live("--pool", file.toString(), "--on-router-error", "tier:mid");
    assertRefused(r, "--on-router-error");
    assertTrue(r.stderr().contains("no model of tier mid"), r.stderr());
  }

  @Test
  void theOptionsOverrideTheSettings() {
    RouterTimingOptions o = new RouterTimingOptions();
    o.timeout.timeout = "1.5s";
    o.onError = "tier:mid_high";
    TwinrouterSettings s = o.apply(TwinrouterSettings.load());
    assertEquals(Duration.ofMillis(1500), s.liveTrack().selectTimeout());
    assertEquals("tier:mid_high", s.liveTrack().onRouterError().wireName());
    assertEquals(Duration.ofMinutes(2), RouterTimeoutOption.parse("2m"));
    assertEquals(Duration.ofMillis(250), RouterTimeoutOption.parse("250ms"));
    TwinrouterSettings untouched = new RouterTimingOptions().apply(TwinrouterSettings.load());
    assertEquals("end", untouched.liveTrack().onRouterError().wireName());
    assertEquals(Duration.ofSeconds(30), untouched.liveTrack().selectTimeout());
  }
}
