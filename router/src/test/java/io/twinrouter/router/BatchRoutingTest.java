package io.twinrouter.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.Tier;
import io.twinrouter.router.catalog.Routers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many contexts through one router with bounded concurrency, over real loopback HTTP. */
class BatchRoutingTest {

  @Test
  void routesEveryContextInOrderWithBoundedConcurrencyAndErrorsAsValues() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    try (LoopbackServer server = new LoopbackServer(16)) {
      server.route(
          "/route",
          ex -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
              RouterContext ctx = RouterJson.readContext(ex.getRequestBody().readAllBytes());
              Thread.sleep(5);
              String answer =
                  ctx.stepIndex() % 10 == 3
                      ? "{\"model_id\":\"nope/model\"}"
                      : "{\"tier\":\"" + (ctx.stepIndex() % 2 == 0 ? "low" : "high") + "\"}";
              inFlight.decrementAndGet();
              LoopbackServer.respond(ex, 200, answer);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      Router router =
          Routers.byName(server.uri("/route").toString(), RouterEnvironment.of(Contexts.SETTINGS));
      List<RouterContext> contexts = new ArrayList<>();
      for (int step = 0; step < 60; step++) {
        contexts.add(Contexts.live(step));
      }
      AtomicInteger progress = new AtomicInteger();
      List<BatchRouting.Outcome> outcomes =
          BatchRouting.routeAll(router, contexts, 4, Runnable::run, o -> progress.incrementAndGet())
              .get(60, TimeUnit.SECONDS);
      assertEquals(60, outcomes.size());
      assertEquals(60, progress.get());
      assertTrue(maxInFlight.get() <= 4, "in flight at once: " + maxInFlight.get());
      for (int i = 0; i < 60; i++) {
        BatchRouting.Outcome o = outcomes.get(i);
        assertEquals(i, o.index());
        if (i % 10 == 3) {
          assertNull(o.decision());
          assertEquals(RouterException.Kind.NOT_IN_POOL, o.error().kind());
        } else {
          assertEquals(i % 2 == 0 ? Tier.LOW : Tier.HIGH, o.decision().tier());
        }
      }
      assertEquals(6, BatchRouting.failures(outcomes).size());
    }
  }

  @Test
  void inProcessRoutersFinishingSynchronouslyDoNotRecurse() throws Exception {
    Router router = Routers.byName("round-robin", RouterEnvironment.of(Contexts.SETTINGS));
    RouterContext ctx = Contexts.live(1);
    List<RouterContext> many = java.util.Collections.nCopies(50_000, ctx);
    List<BatchRouting.Outcome> outcomes =
        BatchRouting.routeAll(router, many, 2, Runnable::run, o -> {}).get(60, TimeUnit.SECONDS);
    assertEquals(50_000, outcomes.size());
    assertEquals("google/gemini-3-flash-preview", outcomes.get(49_999).decision().modelId());
  }
}
