package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.console.InputException;
import io.twinrouter.console.ProgressBar;
import io.twinrouter.scoring.http.RouterHosts;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * {@code static route --server URL}: the evaluation sent to a running {@code twinrouter serve}
 * ({@code POST /v1/static/banks/{bank}/evaluations}), followed through its server-sent events to
 * the end, and its prediction file downloaded: the bytes a local {@code static route} writes,
 * because the service routes with the same code. The service checks the router on the first row
 * before it starts the job, as the local command does, and answers 400 when it does not answer.
 */
final class ServerRouting {
  /** What the job made: the router's name in it, the prediction file, and its error rows. */
  record Routed(String router, byte[] jsonl, int rows, int errors, String firstError) {}

  private final ServerClient service;

  ServerRouting(ServerClient service) {
    this.service = service;
  }

  Routed route(String bank, String router, String label, int concurrency, Duration timeout)
      throws IOException, InterruptedException {
    String id = start(bank, router, label, concurrency, timeout);
    JsonNode job = follow(id, bank);
    if (!"done".equals(job.path("status").asText())) {
      throw new IOException("job " + id + " on " + service.server() + " failed: "
          + job.path("error").asText());
    }
    byte[] jsonl = service.send(service.get("/v1/jobs/" + id + "/predictions"));
    return summarise(job.path("router").asText(), jsonl);
  }

  private String start(String bank, String router, String label, int concurrency,
      Duration timeout) throws IOException, InterruptedException {
    ObjectNode body = JsonNodeFactory.instance.objectNode()
        .put("router", router)
        .put("concurrency", concurrency)
        .put("timeout_ms", timeout.toMillis());
    if (label != null) {
      body.put("label", label);
    }
    HttpRequest request = service.request(
            "/v1/static/banks/" + ServerClient.encode(bank) + "/evaluations")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    try {
      return ServerClient.parse(service.send(request)).path("id").asText();
    } catch (InputException e) {
      if (e.getMessage().contains(RouterHosts.SETTING)) {
        // the service calls routers from where it runs, and only those its owner allowed
        throw new InputException(e.getMessage() + "; add the host to that setting where "
            + "'twinrouter serve' runs, or leave out --server to call the router from here", e);
      }
      throw e;
    }
  }

  /**
   * The job's final status, read from its events ({@code progress} while it runs, then {@code
   * done} or {@code failed}), with a progress bar on stderr as the local command draws.
   */
  private JsonNode follow(String id, String bank) throws IOException, InterruptedException {
    ProgressBar bar = null;
    HttpRequest events = service.untimed("/v1/jobs/" + id + "/events").GET().build();
    try (Stream<String> lines = service.lines(events)) {
      String event = "";
      StringBuilder data = new StringBuilder();
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.startsWith("event:")) {
          event = value(line);
        } else if (line.startsWith("data:")) {
          data.append(data.length() > 0 ? "\n" : "").append(value(line));
        } else if (line.isEmpty()) {
          if (event.equals("done") || event.equals("failed")) {
            return ServerClient.parse(data.toString().getBytes(StandardCharsets.UTF_8));
          }
          if (event.equals("progress")) {
            JsonNode p = ServerClient.parse(data.toString().getBytes(StandardCharsets.UTF_8));
            if (bar == null) {
              bar = new ProgressBar("routing " + bank, p.path("total").asLong());
            }
            bar.update(p.path("done").asLong(), p.path("errors").asInt() + " errors");
          }
          event = "";
          data.setLength(0);
        }
      }
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    // the stream ended before the job did (the service stopped, say): its last word, if any
    JsonNode job = ServerClient.parse(service.send(service.get("/v1/jobs/" + id)));
    if ("running".equals(job.path("status").asText())) {
      throw new IOException("the events of job " + id + " on " + service.server()
          + " ended while it was running");
    }
    return job;
  }

  /** A field's value: the text after the colon, without the one space that may follow it. */
  private static String value(String line) {
    String v = line.substring(line.indexOf(':') + 1);
    return v.startsWith(" ") ? v.substring(1) : v;
  }

  private static Routed summarise(String router, byte[] jsonl) throws IOException {
    int rows = 0;
    int errors = 0;
    String firstError = null;
    for (String line : new String(jsonl, StandardCharsets.UTF_8).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      rows++;
      JsonNode error = ServerClient.parse(line.getBytes(StandardCharsets.UTF_8)).get("error");
      if (error != null) {
        errors++;
        firstError = firstError == null ? error.asText() : firstError;
      }
    }
    return new Routed(router, jsonl, rows, errors, firstError);
  }
}
