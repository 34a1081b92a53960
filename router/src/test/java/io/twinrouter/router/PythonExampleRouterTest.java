package io.twinrouter.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.Tier;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.router.http.HttpRouter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** examples/python_router/router.py, run as a real process on a free loopback port. */
class PythonExampleRouterTest {
  private static Process python;
  private static URI url;

  @BeforeAll
  static void start() throws IOException {
    Path script = Path.of("").toAbsolutePath().resolve("../examples/python_router/router.py").normalize();
    assertTrue(Files.isRegularFile(script), "missing " + script);
    python =
        new ProcessBuilder("python3", script.toString(), "0")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine(); // "listening on http://127.0.0.1:PORT/route"
    assertTrue(line != null && line.startsWith("listening on http://127.0.0.1:"), "got: " + line);
    url = URI.create(line.substring("listening on ".length()).strip());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (python != null) {
      python.destroy();
      if (!python.waitFor(5, TimeUnit.SECONDS)) {
        python.destroyForcibly();
      }
    }
  }

  private static RouterDecision ask(String messages) throws RouterException {
    Router r = Routers.byName(url.toString(), RouterEnvironment.of(Contexts.SETTINGS));
    return r.select(Contexts.live("django__django-11133", 3, messages));
  }

  @Test
  void theExamplePolicyAnswersThroughTheProtocol() throws Exception {
    RouterDecision early = ask("[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"t\"}]");
    assertEquals(Tier.HIGH, early.tier());
    assertEquals("anthropic/claude-opus-4.6", early.modelId());
    assertEquals("early step (0 assistant turns so far)", early.rationale());

    String twoTurns =
        "{\"role\":\"user\",\"content\":\"t\"},{\"role\":\"assistant\",\"content\":\"a\"},"
            + "{\"role\":\"tool\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"b\"},";
    RouterDecision error =
        ask("[" + twoTurns + "{\"role\":\"tool\",\"content\":[{\"type\":\"text\",\"text\":\"NameError: y\"}]}]");
    assertEquals(Tier.HIGH, error.tier());
    RouterDecision routine = ask("[" + twoTurns + "{\"role\":\"tool\",\"content\":\"ok\"}]");
    assertEquals(Tier.LOW, routine.tier());
    assertEquals("deepseek/deepseek-v3.2", routine.modelId());
    RouterDecision longOutput =
        ask("[" + twoTurns + "{\"role\":\"tool\",\"content\":\"" + "line\\n".repeat(200) + "\"}]");
    assertEquals(Tier.MID, longOutput.tier());
    assertTrue(longOutput.decisionNanos() > 0);
  }

  @Test
  void theExampleRejectsBadRequestsWithAJsonError() throws Exception {
    HttpClient client = HttpRouter.sharedClient();
    HttpResponse<String> bad =
        client.send(
            HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("\"error\": \"bad json\""), bad.body());
  }
}
