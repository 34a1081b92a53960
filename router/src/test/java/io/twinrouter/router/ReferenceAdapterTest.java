package io.twinrouter.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.Tier;
import io.twinrouter.router.catalog.Routers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * adapters/python (twinrouter_adapter): its own unit tests, run by Maven through this class, and
 * routers written for the reference's interface served to this module's HTTP router client.
 */
class ReferenceAdapterTest {
  static final Path ADAPTER =
      Path.of("").toAbsolutePath().resolve("../adapters/python").normalize();
  static final String OPUS = "anthropic/claude-opus-4.6";
  static final String DEEPSEEK = "deepseek/deepseek-v3.2";

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : started) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void thePythonUnitTestsPass() throws Exception {
    Process p = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", "tests", "-t", ".")
        .directory(ADAPTER.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python3 -m unittest did not finish");
    assertEquals(0, p.exitValue(), out);
    Matcher ran = Pattern.compile("Ran (\\d+) tests").matcher(out);
    assertTrue(ran.find() && Integer.parseInt(ran.group(1)) >= 20, "too few tests ran:\n" + out);
  }

  /** Starts the adapter on a free loopback port and returns its router URL. */
  private String serve(String factory, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("python3", "-m", "twinrouter_adapter",
        "--router-import", factory, "--port", "0"));
    for (String a : args) {
      cmd.add("--router-arg");
      cmd.add(a);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ADAPTER.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("PYTHONPATH", ADAPTER + ":" + ADAPTER.resolve("examples"));
    Process p = pb.start();
    started.add(p);
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8)).readLine();
    assertTrue(line != null && line.startsWith("listening on http://127.0.0.1:"), "got: " + line);
    return line.substring("listening on ".length()).strip();
  }

  @Test
  void aStepRuleWrittenForTheReferenceAnswersThroughTheProtocol() throws Exception {
    assertTrue(Files.isDirectory(ADAPTER.resolve("twinrouter_adapter")), "missing " + ADAPTER);
    Router r = Routers.byName(serve("reference_routers:StepRuleRouter",
        "even=" + DEEPSEEK, "odd=" + OPUS), RouterEnvironment.of(Contexts.SETTINGS));
    for (int step = 0; step < 4; step++) {
      RouterDecision d = r.select(Contexts.live(step));
      assertEquals(step % 2 == 0 ? Tier.LOW : Tier.HIGH, d.tier(), "step " + step);
      assertEquals(step % 2 == 0 ? DEEPSEEK : OPUS, d.modelId());
      assertEquals("step " + step + (step % 2 == 0 ? " is even" : " is odd"), d.rationale());
    }
  }

  @Test
  void aCacheAwareRouterSeesTheSnapshotTwinrouterSent() throws Exception {
    Router r = Routers.byName(serve("reference_routers:CacheWarmRouter",
        "cold=" + DEEPSEEK, "warm=" + OPUS, "min_prefix_tokens=1000"),
        RouterEnvironment.of(Contexts.SETTINGS));
    RouterContext cold = Contexts.live(1);
    assertEquals("cold", r.select(cold).rationale());

    Map<String, ModelCacheView> views = new LinkedHashMap<>(cold.cacheState().byModel());
    double now = cold.cacheState().nowTs();
    views.put(DEEPSEEK, new ModelCacheView(DEEPSEEK, now - 10, 4_321, "ab".repeat(32)));
    RouterDecision warm = r.select(withCache(cold, new CacheStateSnapshot(300, now, views)));
    assertEquals(Tier.HIGH, warm.tier());
    assertEquals("warm " + DEEPSEEK + " 4321", warm.rationale());

    // past the TTL the router (not the adapter) finds the cache cold
    views.put(DEEPSEEK, new ModelCacheView(DEEPSEEK, now - 301, 4_321, "ab".repeat(32)));
    assertEquals("cold", r.select(withCache(cold, new CacheStateSnapshot(300, now, views)))
        .rationale());
  }

  @Test
  void aReferenceRouterThatRaisesIsARouterError() throws Exception {
    // StepRuleRouter raises when its model is not in the pool: an HTTP 500 naming the exception
    Router r = Routers.byName(serve("reference_routers:StepRuleRouter",
        "even=openai/gpt-9", "odd=" + OPUS), RouterEnvironment.of(Contexts.SETTINGS));
    RouterException e = org.junit.jupiter.api.Assertions.assertThrows(RouterException.class,
        () -> r.select(Contexts.live(0)));
    assertEquals(RouterException.Kind.HTTP_STATUS, e.kind());
    assertTrue(e.getMessage().contains("ValueError: openai/gpt-9 is not in the pool"),
        e.getMessage());
  }

  private static RouterContext withCache(RouterContext c, CacheStateSnapshot s) {
    return RouterContext.live(c.instanceId(), c.stepIndex(), c.messages(), c.tools(),
        c.availableModels(), s, c.budgetSoFarUsd(), c.runConfig());
  }
}
