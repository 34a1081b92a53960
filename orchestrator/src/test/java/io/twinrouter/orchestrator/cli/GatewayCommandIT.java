package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.sim.SimTaskLoader;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.KilledRunResumeIT;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code twinrouter gateway --pool sim} as a user starts it (the runnable jar in a JVM of its
 * own): it prints its base URL, lists the pool, forwards an unmarked call to the simulated pool
 * and logs it unattributed with its cost, and refuses a model outside the pool with a JSON 404.
 */
class GatewayCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private static HttpResponse<String> chat(String base, String model, String task)
      throws Exception {
    ObjectNode body = JSON.createObjectNode().put("model", model);
    body.putArray("messages").add(JSON.createObjectNode().put("role", "system")
        .put("content", "You are a helpful assistant."))
        .add(JSON.createObjectNode().put("role", "user").put("content", task));
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePoolAndLogsEachCall() throws Exception {
    TaskSuite.open(TaskSuite.BUNDLED, dir.resolve("suite"));
    String task = SimTaskLoader.load(dir.resolve("suite").resolve(TaskSuite.BUNDLED_TASK_FILE))
        .get(0).problemStatement();
    Path calls = dir.resolve("calls.jsonl");
    Process gateway = new ProcessBuilder(KilledRunResumeIT.javaBinary(), "-jar",
        KilledRunResumeIT.jar().toString(), "gateway", "--pool", "sim", "--port", "0",
        "--calls", calls.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String base = new BufferedReader(new InputStreamReader(gateway.getInputStream(),
          StandardCharsets.UTF_8)).readLine();
      assertTrue(base != null && base.matches("http://127\\.0\\.0\\.1:\\d+/v1"), base);
      JsonNode models = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base
          + "/models")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
      List<PoolModel> pool = TwinrouterSettings.load().pool().models();
      for (PoolModel m : pool) {
        assertTrue(models.toString().contains("\"" + m.modelId() + "\""), models.toString());
      }
      HttpResponse<String> answered = chat(base, pool.get(0).modelId(), task);
      assertEquals(200, answered.statusCode(), answered.body());
      HttpResponse<String> refused = chat(base, "openai/gpt-9", task);
      assertEquals(404, refused.statusCode());
      assertEquals("model_not_found",
          JSON.readTree(refused.body()).path("error").path("code").asText());
      List<String> lines = Files.readAllLines(calls);
      assertEquals(1, lines.size(), lines.toString());
      JsonNode call = JSON.readTree(lines.get(0));
      assertTrue(call.path("case_id").isNull(), call.toString());
      assertEquals(pool.get(0).modelId(), call.path("model_id").asText());
      assertTrue(call.path("cost_usd").asDouble() > 0, call.toString());
    } finally {
      gateway.destroy();
    }
  }
}
