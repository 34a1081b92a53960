package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.twinrouter.bank.BundledBank;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routers written for the reference's {@code select(ctx)} interface, served by
 * adapters/python's twinrouter_adapter, evaluated by {@code live run} (bundled suite, simulated
 * pool, bwrap sandboxes) and {@code static route} (bundled bank): each step's tier is the rule's.
 */
class ReferenceAdapterIT {
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  static final Path ADAPTER =
      Path.of("").toAbsolutePath().resolve("../adapters/python").normalize();
  static final String OPUS = "anthropic/claude-opus-4.6";
  static final String DEEPSEEK = "deepseek/deepseek-v3.2";
  static final List<String> CASES = List.of(
      "twinrouter-suite__ledgerkit-101", "twinrouter-suite__tinyini-201");

  @TempDir Path dir;
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

  /** {@code python3 -m twinrouter_adapter} on a free loopback port; returns its router URL. */
  String serve(String factory, String... args) throws IOException {
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

  static Path ids(Path dir, List<String> ids) throws IOException {
    return Files.writeString(dir.resolve("ids.txt"), String.join("\n", ids) + "\n");
  }

  /** The step rows of a case's trace, in order. */
  static List<JsonNode> steps(Path out, String id) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(id + ".trace.jsonl"))) {
      JsonNode row = JSON.readTree(line);
      if (!row.has("__marker__")) {
        rows.add(row);
      }
    }
    return rows;
  }

  @Test
  void aStepRuleWrittenForTheReferenceRunsLiveAndStatic() throws Exception {
    String url = serve("reference_routers:StepRuleRouter", "even=" + DEEPSEEK, "odd=" + OPUS);
    Path out = dir.resolve("live");
    CliOutput live = CliOutput.run("live", "run", "--tasks", "bundled", "--router", url,
        "--router-name", "step-rule", "--pool", "sim", "--sandbox", "local", "--workers", "2",
        "--instance-ids", ids(dir, CASES).toString(), "--out", out.toString(), "--json");
    assertEquals(0, live.exitCode(), live.stdout());
    JsonNode score = JSON.readTree(live.stdout());
    assertEquals(CASES.size(), score.path("instance_count").asInt(), score.toString());

    int odd = 0;
    for (String id : CASES) {
      List<JsonNode> steps = steps(out, id);
      assertTrue(steps.size() >= 2, id + " ran " + steps.size() + " priced step(s)");
      for (JsonNode row : steps) {
        int step = row.path("step_index").asInt();
        boolean even = step % 2 == 0;
        odd += even ? 0 : 1;
        assertEquals(even ? "low" : "high", row.path("tier").asText(), row.toString());
        assertEquals(even ? DEEPSEEK : OPUS, row.path("model_id").asText());
        assertEquals("step " + step + (even ? " is even" : " is odd"),
            row.path("rationale").asText());
      }
    }
    assertTrue(odd > 0, "both branches of the rule ran");

    Path predictions = dir.resolve("static.jsonl");
    CliOutput stat = CliOutput.run("static", "route", "--bank", "bundled", "--router", url,
        "--out", predictions.toString());
    assertEquals(0, stat.exitCode());
    Map<String, Integer> stepOf = new HashMap<>();
    for (String line : new String(BundledBank.bytes(), StandardCharsets.UTF_8).split("\n")) {
      JsonNode row = JSON.readTree(line);
      stepOf.put(row.path("id").asText(), row.path("step_index").asInt(1));
    }
    List<String> lines = Files.readAllLines(predictions);
    assertEquals(stepOf.size(), lines.size());
    for (String line : lines) {
      JsonNode p = JSON.readTree(line);
      int step = stepOf.get(p.path("id").asText());
      assertEquals(step % 2 == 0 ? "low" : "high", p.path("tier").asText(), line);
    }
  }

  @Test
  void aCacheAwareRouterSeesTheSnapshotOfTheRunningCase() throws Exception {
    String url = serve("reference_routers:CacheWarmRouter", "cold=" + DEEPSEEK, "warm=" + OPUS);
    Path out = dir.resolve("cache");
    String id = CASES.get(0);
    CliOutput live = CliOutput.run("live", "run", "--tasks", "bundled", "--router", url,
        "--router-name", "cache-warm", "--pool", "sim", "--sandbox", "local",
        "--instance-ids", ids(dir, List.of(id)).toString(), "--out", out.toString(), "--json");
    assertEquals(0, live.exitCode(), live.stdout());

    List<JsonNode> steps = steps(out, id);
    assertTrue(steps.size() >= 2, "priced steps: " + steps.size());
    assertEquals("cold", steps.get(0).path("rationale").asText());
    assertEquals("low", steps.get(0).path("tier").asText());
    Pattern warm = Pattern.compile("warm (\\S+) (\\d+)");
    // what each model's cache held after its latest call: that call's prompt tokens
    Map<String, Long> prefix = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      JsonNode row = steps.get(i);
      if (i > 0) {
        Matcher m = warm.matcher(row.path("rationale").asText());
        assertTrue(m.matches(), row.path("rationale").asText());
        assertEquals("high", row.path("tier").asText());
        assertEquals(prefix.get(m.group(1)), Long.valueOf(m.group(2)),
            "the snapshot of step " + i + " reports the last call of " + m.group(1));
      }
      JsonNode u = row.path("usage");
      prefix.put(row.path("model_id").asText(), u.path("input_tokens").asLong()
          + u.path("cache_read_tokens").asLong() + u.path("cache_write_tokens").asLong());
    }
  }
}
