package io.twinrouter.scoring.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service's server-sent events in the common form ({@code event: progress}, {@code data:
 * ...}, a space after each colon), read by a real SSE client library (Square's okhttp-sse) over
 * real HTTP, and as raw bytes.
 */
class EventStreamTest {
  static TestService svc;

  @BeforeAll
  static void start() throws Exception {
    svc = TestService.bank1();
  }

  @AfterAll
  static void stop() {
    svc.close();
  }

  record Event(String type, String data) {}

  @Test
  void anSseClientLibraryReadsAJobsProgressThenItsSummary() throws Exception {
    try (LoopbackRouter router = new LoopbackRouter(ctx -> new LoopbackRouter.Answer(200, "{\"tier\": \"low\"}", 20))) {
      String id = EvaluationRoutesTest.startEvaluation(svc, "{\"router\": \"" + router.url() + "\", \"concurrency\": 2}");
      List<Event> events = new CopyOnWriteArrayList<>();
      CompletableFuture<String> closed = new CompletableFuture<>();
      OkHttpClient client = new OkHttpClient.Builder().readTimeout(60, TimeUnit.SECONDS).build();
      try {
        EventSource source = EventSources.createFactory(client).newEventSource(
            new Request.Builder().url("http://127.0.0.1:" + svc.server.port() + "/v1/jobs/" + id + "/events").build(),
            new EventSourceListener() {
              @Override
              public void onEvent(EventSource es, String eventId, String type, String data) {
                events.add(new Event(type, data));
              }

              @Override
              public void onClosed(EventSource es) {
                closed.complete("closed");
              }

              @Override
              public void onFailure(EventSource es, Throwable t, Response response) {
                closed.completeExceptionally(t != null ? t : new AssertionError("HTTP " + response));
              }
            });
        assertEquals("closed", closed.get(60, TimeUnit.SECONDS));
        source.cancel();
      } finally {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
      assertTrue(events.size() >= 3, events.toString());
      int last = -1;
      for (Event e : events.subList(0, events.size() - 1)) {
        assertEquals("progress", e.type());
        int done = JsonSupport.MAPPER.readTree(e.data()).get("done").asInt();
        assertTrue(done > last, "progress must grow: " + events);
        last = done;
      }
      Event done = events.get(events.size() - 1);
      assertEquals("done", done.type());
      JsonNode job = JsonSupport.MAPPER.readTree(done.data());
      assertEquals(56, job.get("summary").get("sampled").asInt());
    }
  }

  @Test
  void theBytesOnTheWireHaveASpaceAfterEachColon() throws Exception {
    String id = EvaluationRoutesTest.startEvaluation(svc, "{\"router\": \"always-low\"}");
    EvaluationRoutesTest.awaitJob(svc, id);
    HttpResponse<String> r = svc.client.send(svc.request("/v1/jobs/" + id + "/events").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
    assertTrue(r.body().startsWith("event: progress\ndata: {\"done\":56,"), r.body());
    assertTrue(r.body().contains("\n\nevent: done\ndata: {\"id\":\"" + id + "\""), r.body());
    assertTrue(r.body().endsWith("}\n\n"), r.body());
  }

  @Test
  void multiLineDataHeartbeatsAndIdsAreEncodedAsTheSpecSays() {
    assertEquals("event: x\nid: 7\ndata: a\ndata: b\n\n",
        EventStream.encode(ServerSentEvent.create("a\nb", "x", "7")).utf8String());
    assertEquals(":\n\n", EventStream.encode(ServerSentEvent.heartbeat()).utf8String());
  }
}
