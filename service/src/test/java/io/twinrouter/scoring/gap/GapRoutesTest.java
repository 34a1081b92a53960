package io.twinrouter.scoring.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.scoring.http.HttpSettings;
import io.twinrouter.scoring.http.ScoringServer;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/gap} on a real service over loopback answers the report the gap service builds
 * in process on the same files, selects runs by label, and answers client mistakes with 4xx JSON
 * errors; the page's files are served without the token, the report only with it.
 */
class GapRoutesTest {
  static final String TOKEN = "gap-token";
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void theRouteAnswersTheInProcessReportAndClientMistakesAre4xx() throws Exception {
    GapExample example = new GapExample(dir);
    ServedBank bank = ServedBank.of("gapbank", example.load());
    GapSources sources = new GapSources(List.of(example.runA, example.runB, example.runC),
        Map.of("router-a", example.predictionsA, "router-b", example.predictionsB),
        GapReport.Settings.defaults(0.60));
    TwinrouterSettings settings = TwinrouterSettings.load();
    HttpSettings http = HttpSettings.from(ConfigFactory.load()).withAddress("127.0.0.1", 0)
        .withApiToken(Optional.of(TOKEN));
    ScoringServer server = ScoringServer.start(ConfigFactory.load(), http, new StaticEvaluations(settings),
        () -> List.of(bank, ServedBank.of("other", bank.bank())), sources).toCompletableFuture().get(30, TimeUnit.SECONDS);
    ExecutorService workers = Executors.newFixedThreadPool(2);
    try {
      String base = "http://127.0.0.1:" + server.port();
      awaitReady(base);
      JsonNode expected = new GapService(new StaticEvaluations(settings), workers, sources)
          .report(bank, Optional.empty()).toCompletableFuture().get();

      HttpResponse<String> r = get(base + "/v1/gap?bank=gapbank", true);
      assertEquals(200, r.statusCode(), r.body());
      // as JSON text: the numbers' Java types do not survive the wire, their values must
      assertEquals(GapExample.JSON.readTree(expected.toString()), json(r));
      assertTrue(!r.body().contains("target_tier"), "no label leaves the server");

      JsonNode two = json(get(base + "/v1/gap?bank=gapbank&runs=router-c,router-a", true));
      assertEquals(List.of("router-c", "router-a"),
          List.of(two.at("/routers/0/router").asText(), two.at("/routers/1/router").asText()));
      assertEquals(1, two.get("pairs").size());

      assertError(401, get(base + "/v1/gap?bank=gapbank", false), "unauthorized");
      assertError(404, get(base + "/v1/gap?bank=nowhere", true), "unknown_bank");
      assertError(400, get(base + "/v1/gap", true), "bad_request"); // two banks: say which
      HttpResponse<String> unknown = get(base + "/v1/gap?bank=gapbank&runs=router-z", true);
      assertError(400, unknown, "bad_gap_input");
      assertTrue(unknown.body().contains("router-z"), unknown.body());

      HttpResponse<String> page = get(base + "/ui/", false);
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
      assertTrue(page.body().contains("<script src=\"app.js\">"), page.body());
      HttpResponse<String> js = get(base + "/ui/app.js", false);
      assertEquals(200, js.statusCode());
      assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("application/javascript"));
      assertTrue(js.body().contains("/v1/gap?"));
      assertEquals(200, get(base + "/ui/app.css", false).statusCode());
      HttpResponse<String> redirect = get(base + "/ui", false);
      assertEquals(308, redirect.statusCode());
      assertEquals("/ui/", redirect.headers().firstValue("Location").orElse(""));
    } finally {
      workers.shutdownNow();
      server.close();
    }
  }

  HttpResponse<String> get(String url, boolean withToken) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (withToken) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return GapExample.JSON.readTree(r.body());
  }

  static void assertError(int status, HttpResponse<String> r, String code) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals(code, body.path("error").asText(), r.body());
    assertTrue(body.path("detail").isTextual(), r.body());
  }

  void awaitReady(String base) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (get(base + "/health", false).statusCode() != 200) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the service never became ready");
      }
      Thread.sleep(20);
    }
  }
}
