package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.scoring.service.Comparisons;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/compare}: a real service; the comparison's looks are told to its registry as {@code
 * compare --serve} tells them, and come out as JSON and as server-sent events in order.
 */
class CompareRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode standing(int cases, String decision) {
    ObjectNode j = JSON.createObjectNode().put("id", "cmp").put("cases_run", cases);
    j.putArray("pairs").addObject().put("decision", decision)
        .putObject("resolve_rate_difference").put("estimate", 0.1 * cases);
    return j;
  }

  @Test
  void looksAreServedAsTheyComeThenDone() throws Exception {
    try (TestService svc = TestService.start(TestService.settings(Optional.empty(), 1 << 20), List::of)) {
      assertEquals("{\"comparisons\":[]}", svc.get("/v1/compare").body());
      HttpResponse<String> unknown = svc.get("/v1/compare/nope");
      assertEquals(404, unknown.statusCode());
      assertEquals("unknown_comparison", JSON.readTree(unknown.body()).path("error").asText(),
          unknown.body());

      var registry = svc.server.comparisons();
      registry.tell(new Comparisons.Update("cmp", standing(2, "running"), false));
      assertEquals(standing(2, "running"), JSON.readTree(svc.get("/v1/compare/cmp").body()));

      HttpResponse<java.util.stream.Stream<String>> events = svc.client.sendAsync(
          svc.request("/v1/compare/cmp/events").GET().build(), HttpResponse.BodyHandlers.ofLines())
          .get(30, TimeUnit.SECONDS);
      assertEquals(200, events.statusCode());
      Iterator<String> lines = events.body().iterator();
      List<String> seen = new ArrayList<>();
      seen.addAll(nextEvent(lines));
      registry.tell(new Comparisons.Update("cmp", standing(4, "running"), false));
      registry.tell(new Comparisons.Update("cmp", standing(6, "a better"), true));
      seen.addAll(nextEvent(lines));
      seen.addAll(nextEvent(lines));
      assertTrue(!lines.hasNext(), "the stream ends after done");

      assertEquals(List.of(
          "event: look", "data: " + standing(2, "running"),
          "event: look", "data: " + standing(4, "running"),
          "event: done", "data: " + standing(6, "a better")), seen);
      assertEquals(1, JSON.readTree(svc.get("/v1/compare").body()).path("comparisons").size());
    }
  }

  /** The next event's lines, heartbeats and the blank separator left out. */
  private static List<String> nextEvent(Iterator<String> lines) {
    List<String> event = new ArrayList<>();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty() && !event.isEmpty()) {
        return event;
      }
      if (!line.isEmpty() && !line.startsWith(":")) {
        event.add(line);
      }
    }
    return event;
  }
}
