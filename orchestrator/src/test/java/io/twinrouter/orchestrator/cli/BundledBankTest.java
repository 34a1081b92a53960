package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.twinrouter.bank.BundledBank;
import io.twinrouter.scoring.http.ScoringServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bank derived from the bundled suite ships in the jar: it agrees with its manifest,
 * {@code static score --bank bundled} scores it, and {@code serve} without {@code --bank} serves it.
 */
class BundledBankTest {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  @TempDir Path dir;

  private static String[] lines() {
    return new String(BundledBank.bytes(), StandardCharsets.UTF_8).split("\n");
  }

  @Test
  void theShippedBankIsTheOneItsManifestDescribes() throws Exception {
    JsonNode manifest = JSON.readTree(BundledBank.manifest());
    assertEquals(lines().length, manifest.path("total_line_count").asInt());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(BundledBank.bytes())), manifest.path("bank_sha256").asText());
    assertEquals("sim", manifest.path("pool").path("source").asText());
  }

  @Test
  void staticScoreAcceptsBundledAsTheBank() throws Exception {
    StringBuilder preds = new StringBuilder();
    for (String line : lines()) {
      preds.append("{\"id\": ").append(JSON.writeValueAsString(JSON.readTree(line).path("id")
          .asText())).append(", \"tier\": \"high\"}\n");
    }
    Path file = Files.writeString(dir.resolve("high.jsonl"), preds);
    ServeCommandTest.Run run = ServeCommandTest.cli("static", "score", "--bank", "bundled",
        "--predictions", file.toString(), "--json");
    assertEquals(0, run.status(), run.err());
    JsonNode summary = JSON.readTree(run.out());
    assertEquals(BundledBank.FILE_NAME, summary.path("shard").asText());
    assertEquals(lines().length, summary.path("scores_v2").path("total_rows").asInt());
    assertEquals(100.0, summary.path("scores_v2").path("case_pass_rate_percent").asDouble());
  }

  @Test
  void serveWithoutBanksServesTheBundledOne() throws Exception {
    ServeCommand serve = new ServeCommand();
    CompletableFuture<ScoringServer> ready = new CompletableFuture<>();
    serve.onReady = ready::complete;
    CommandLine cl = new CommandLine(serve);
    cl.setErr(new PrintWriter(new StringWriter(), true));
    CompletableFuture<Integer> status =
        CompletableFuture.supplyAsync(() -> cl.execute("--port", "0"));
    ScoringServer server = ready.get(120, TimeUnit.SECONDS);
    try {
      HttpResponse<String> banks = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/v1/static/banks")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, banks.statusCode());
      assertTrue(banks.body().contains("\"bundled\""), banks.body());
      assertTrue(banks.body().contains("\"rows\":" + lines().length), banks.body());
    } finally {
      server.close();
    }
    assertEquals(0, status.get(30, TimeUnit.SECONDS));
  }
}
