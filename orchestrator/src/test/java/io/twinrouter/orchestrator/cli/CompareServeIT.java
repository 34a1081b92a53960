package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.orchestrator.Main;
import io.twinrouter.orchestrator.live.ServerSentEvents;
import io.twinrouter.scoring.http.JsonSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare --serve} as a user runs it, in a JVM of its own: a router against itself on two
 * bundled cases (simulated pool, bwrap), one case per look. Its service on 127.0.0.1 streams the
 * looks and then {@code done}, whose data is the compare.json the command wrote; both arms are
 * listed under {@code /v1/live/runs} like any live run, finished with both cases; and the
 * service stays up after the decision until the process is stopped.
 */
class CompareServeIT {
  private static final Pattern URL = Pattern.compile("scoring service: (http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dir;

  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> get(String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theLooksStreamToTheDecisionAndTheArmsAreLiveRunsOfTheService() throws Exception {
    Path out = dir.resolve("served-cmp");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx768m", "-Dtwinrouter.http.host=127.0.0.1",
        "-Dtwinrouter.http.port=0", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "compare", "--routers", "always-high,always-high", "--tasks",
        "bundled", "--pool", "sim", "--sandbox", "local", "--max-cases", "2", "--batch", "1",
        "--workers", "1", "--out", out.toString(), "--serve")
        .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
    try {
      String base = serviceUrl(p);

      // the comparison is known from its first look; its event stream ends after done
      HttpResponse<String> standing = get(base + "/v1/compare/served-cmp");
      for (long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
          standing.statusCode() == 404 && p.isAlive() && System.nanoTime() < until;
          Thread.sleep(200)) {
        standing = get(base + "/v1/compare/served-cmp");
      }
      assertEquals(200, standing.statusCode(), standing.body());
      String stream = client.send(HttpRequest.newBuilder(
          URI.create(base + "/v1/compare/served-cmp/events")).timeout(Duration.ofMinutes(15))
          .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
      List<String[]> events = ServerSentEvents.parse(stream);
      assertTrue(events.size() >= 2, stream);
      for (String[] e : events.subList(0, events.size() - 1)) {
        assertEquals("look", e[0], stream);
      }
      String[] done = events.get(events.size() - 1);
      assertEquals("done", done[0], stream);
      JsonNode end = JsonSupport.MAPPER.readTree(done[1]);
      assertEquals("case_limit", end.path("stop").asText(), done[1]);
      JsonNode pair = end.path("pairs").get(0);
      assertEquals("no difference", pair.path("decision").asText(), done[1]);
      assertEquals(2, pair.path("cases").asInt(), done[1]);
      assertTrue(pair.path("bill_difference_usd_per_case").path("valid_under_stopping").asBoolean(),
          done[1]);

      // the command wrote the same compare.json (its last act before serving on)
      Path file = out.resolve("compare.json");
      for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          !Files.readString(dir.resolve("stdout.txt")).contains("Ctrl-C") && System.nanoTime() < until;
          Thread.sleep(100)) {
        assertTrue(p.isAlive(), "the command ended instead of serving on");
      }
      assertEquals(JsonSupport.MAPPER.readTree(Files.readString(file)), end);

      // both arms are live runs of the service, finished with both cases
      JsonNode runs = JsonSupport.MAPPER.readTree(get(base + "/v1/live/runs").body()).path("runs");
      List<String> dirs = new ArrayList<>();
      for (JsonNode r : runs) {
        assertEquals("always-high", r.path("router").asText(), runs.toString());
        assertTrue(r.path("id").asText().startsWith("compare-"), runs.toString());
        assertEquals("finished", r.path("status").asText(), runs.toString());
        assertEquals(2, r.path("progress").path("finished").asInt(), runs.toString());
        dirs.add(Path.of(r.path("run_dir").asText()).getFileName().toString());
      }
      assertEquals(List.of("a-always-high", "b-always-high"), dirs.stream().sorted().toList());
      JsonNode detail = JsonSupport.MAPPER.readTree(
          get(base + "/v1/live/runs/" + runs.get(0).path("id").asText()).body());
      assertEquals(2, detail.path("cases").size(), detail.toString());
      assertTrue(p.isAlive(), "the service stays up after the comparison");
    } finally {
      p.destroy(); // SIGTERM: the shutdown hook closes the service
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** The service's address, from the line the command prints on stderr before it starts. */
  private static String serviceUrl(Process p) throws Exception {
    BufferedReader err = new BufferedReader(
        new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = err.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = URL.matcher(line);
      if (m.find()) {
        // keep draining stderr so the command never blocks on a full pipe
        Thread drain = new Thread(() -> err.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return m.group(1);
      }
    }
    throw new AssertionError("compare --serve printed no service address:\n" + seen);
  }
}
