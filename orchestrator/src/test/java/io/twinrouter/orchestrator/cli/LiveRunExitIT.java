package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code live run} (bwrap sandbox) whose model endpoint is down, past a preflight without probes
 * ({@code --no-preflight}; with them the run is refused, see PreflightIT), so every case ends as an
 * infrastructure error: the command exits 1 and says so, instead of 0 with nothing scored. The
 * run is named by {@code --router-name}: its run id, run.json and score.json carry the name, and
 * score.json's {@code run_dir} is the run directory.
 */
class LiveRunExitIT {
  static final String CASE = "twinrouter-suite__ledgerkit-101";
  /** The model client gives up at once, so the case fails in seconds, not after a minute of backoff. */
  static final Map<String, String> FAST_FAILING = Map.of(
      "twinrouter.model-client.max-retries", "1",
      "twinrouter.model-client.backoff-base", "10ms",
      "twinrouter.model-client.backoff-max", "10ms");

  @TempDir Path dir;

  @Test
  void everyCaseAnInfrastructureErrorIsExit1AndTheRunCarriesItsName() throws Exception {
    Path pool = io.twinrouter.orchestrator.live.LiveRunChecks.deadPool(dir);
    Path ids = Files.writeString(dir.resolve("ids.txt"), CASE + "\n");
    Path out = dir.resolve("run");

    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    FAST_FAILING.forEach(System::setProperty);
    ConfigFactory.invalidateCaches();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = CliOutput.run("live", "run", "--router", "always-high", "--router-name", "steady-0.1",
          "--pool", pool.toString(), "--sandbox", "local", "--workers", "1", "--max-restarts", "0",
          "--instance-ids", ids.toString(), "--out", out.toString(), "--no-preflight").exitCode();
    } finally {
      System.setErr(original);
      FAST_FAILING.keySet().forEach(System::clearProperty);
      ConfigFactory.invalidateCaches();
    }
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, stderr);
    assertTrue(stderr.contains("every case ended as an infrastructure error (1; the reasons are in "
        + out.toAbsolutePath().resolve("eval_summary.json")), stderr);

    ObjectMapper json = new ObjectMapper();
    JsonNode run = json.readTree(out.resolve("run.json").toFile());
    assertTrue(run.get("run_id").asText().startsWith("steady-0.1-"), run.toString());
    assertEquals("steady-0.1", run.get("router_label").asText());
    JsonNode score = json.readTree(Files.readString(out.resolve("score.json")).replace("Infinity", "null"));
    assertEquals("steady-0.1", score.get("router_label").asText());
    assertEquals(out.toAbsolutePath().toString(), score.get("run_dir").asText());
    assertEquals(CASE, score.get("infrastructure_errors").get(0).asText(), score.toString());
  }
}
