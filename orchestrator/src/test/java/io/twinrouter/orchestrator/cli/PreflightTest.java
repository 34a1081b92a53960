package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.agent.sim.SimPoolOptions;
import io.twinrouter.agent.sim.SimPoolServer;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.TwinrouterSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code live run}'s preflight refuses a pool with a set-up mistake before any case starts: exit
 * 2, one line naming the model and the field or the provider's message, nothing in results/. The
 * provider of the unknown-model case is the simulated pool on 127.0.0.1, which answers 404
 * model_not_found for a model it does not serve, as OpenAI-compatible providers do.
 */
class PreflightTest {
  static final String CASE = "twinrouter-suite__ledgerkit-101";
  @TempDir Path dir;

  record Result(int code, String stderr) {}

  Result liveRun(Path pool, Path out, String... more) throws IOException {
    Path ids = Files.writeString(dir.resolve("ids.txt"), CASE + "\n");
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String[] args = Stream.concat(Stream.of("live", "run", "--router", "always-high",
          "--pool", pool.toString(), "--sandbox", "local", "--workers", "1",
          "--instance-ids", ids.toString(), "--out", out.toString()), Stream.of(more))
          .toArray(String[]::new);
      return new Result(io.twinrouter.orchestrator.Main.run(args),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  /** The locked pool at {@code baseUrl}, each model's extra pool-file keys from {@code extra}. */
  Path poolFile(String baseUrl, Function<PoolModel, String> extra) throws IOException {
    return writePool(dir.resolve("pool.conf"), baseUrl, extra, 1.0);
  }

  /** {@link #poolFile} at {@code file}, every rate multiplied by {@code rateFactor}. */
  static Path writePool(Path file, String baseUrl, Function<PoolModel, String> extra,
      double rateFactor) throws IOException {
    StringBuilder models = new StringBuilder("models = [\n");
    for (PoolModel m : TwinrouterSettings.load().pool().models()) {
      models.append(String.format(Locale.ROOT,
          "{ model-id = \"%s\", tier = %s, base-url = \"%s\", %s rates { input = %s,"
              + " cache-read = %s, cache-write = %s, output = %s } }\n",
          m.modelId(), m.tier().wireName(), baseUrl, extra.apply(m),
          m.rates().input() * rateFactor, m.rates().cacheRead() * rateFactor,
          m.rates().cacheWrite() * rateFactor, m.rates().output() * rateFactor));
    }
    return Files.writeString(file, models.append("]\n"));
  }

  static void assertNoResults(Path out) throws IOException {
    Path results = out.resolve("results");
    if (Files.isDirectory(results)) {
      try (Stream<Path> files = Files.list(results)) {
        assertEquals(0, files.count(), "nothing in results/");
      }
    }
    assertFalse(Files.exists(out.resolve("score.json")), "no case was run, nothing scored");
  }

  @Test
  void anUnsetKeyVariableIsRefusedNamingTheModelAndTheVariable() throws Exception {
    String unset = "TWINROUTER_PREFLIGHT_TEST_UNSET_KEY";
    assertEquals(null, System.getenv(unset), "the variable must be unset for this test");
    Path pool = poolFile("http://127.0.0.1:9/v1",
        m -> m.tier().wireName().equals("high") ? "api-key-env = " + unset + "," : "");
    Path out = dir.resolve("run");
    Result r = liveRun(pool, out);
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("preflight: the pool is not ready"), r.stderr());
    assertTrue(r.stderr().contains(": api-key-env " + unset + " is not set"), r.stderr());
    assertNoResults(out);
    // --no-preflight skips the requests, not the checks
    Result again = liveRun(pool, out, "--no-preflight");
    assertEquals(2, again.code(), again.stderr());
    assertTrue(again.stderr().contains("api-key-env " + unset + " is not set"), again.stderr());
    assertNoResults(out);
  }

  @Test
  void aBaseUrlThatDoesNotParseIsRefused() throws Exception {
    Path out = dir.resolve("run");
    Result r = liveRun(poolFile("http//127.0.0.1:9/v1", m -> ""), out, "--no-preflight");
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("base-url 'http//127.0.0.1:9/v1' does not parse"), r.stderr());
    assertNoResults(out);
  }

  @Test
  void aModelTheProviderDoesNotKnowIsRefusedWithTheProvidersMessage() throws Exception {
    TwinrouterSettings settings = TwinrouterSettings.load();
    Path suite = dir.resolve("suite");
    TaskSuite.bundled(suite);
    try (SimPoolServer provider = SimPoolServer.start(settings.pool(),
        SimTaskLoader.load(suite.resolve(TaskSuite.BUNDLED_TASK_FILE)),
        SimPoolOptions.from(settings.raw()).withPort(0))) {
      Path pool = poolFile(provider.baseUrl(),
          m -> m.tier().wireName().equals("low") ? "api-model = \"no-such/model-7b\"," : "");
      Path out = dir.resolve("run");
      Result r = liveRun(pool, out);
      assertEquals(2, r.code(), r.stderr());
      String low = settings.pool().forTier(io.twinrouter.config.Tier.LOW).orElseThrow().modelId();
      assertTrue(r.stderr().contains("model " + low + ": HTTP 404 from " + provider.baseUrl()
          + ": The model `no-such/model-7b` does not exist"), r.stderr());
      long lines = r.stderr().lines().filter(l -> l.startsWith("model ")).count();
      assertEquals(1, lines, "only the unknown model is named: " + r.stderr());
      assertNoResults(out);
    }
  }
}
