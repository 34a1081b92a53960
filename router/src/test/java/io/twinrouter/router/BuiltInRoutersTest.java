package io.twinrouter.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.Tier;
import io.twinrouter.router.catalog.Routers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every built-in router, reached by name as users name them. */
class BuiltInRoutersTest {
  private static final RouterEnvironment ENV = RouterEnvironment.of(Contexts.SETTINGS);
  private static final List<JsonNode> BANK1 = Contexts.bankRows("bank1.jsonl");
  private static final RouterEnvironment LABELLED =
      ENV.withLabeledPrefixes(Contexts.labels(BANK1));

  private static Tier gold(JsonNode row) {
    return Tier.fromId(row.get("target_tier_id").asInt());
  }

  @Test
  void alwaysRoutersAnswerTheirTiersModel() throws Exception {
    RouterContext ctx = Contexts.live(5);
    assertEquals("deepseek/deepseek-v3.2", Routers.byName("always-low", ENV).select(ctx).modelId());
    assertEquals("minimax/minimax-m2.7", Routers.byName("always-mid", ENV).select(ctx).modelId());
    assertEquals(
        "google/gemini-3-flash-preview", Routers.byName("always-mid_high", ENV).select(ctx).modelId());
    RouterDecision high = Routers.byName("always-high", ENV).select(ctx);
    assertEquals("anthropic/claude-opus-4.6", high.modelId());
    assertEquals("always-high", high.rationale());
    assertTrue(high.decisionNanos() > 0, "in-process decisions are timed too");
    assertEquals("always-high", Routers.byName(" always-high ", ENV).name());
  }

  @Test
  void randomIsReproduciblePerSeedInstanceAndStep() throws Exception {
    List<String> first = randomDraws(ENV.withSeed(7));
    assertEquals(first, randomDraws(ENV.withSeed(7)));
    assertNotEquals(first, randomDraws(ENV.withSeed(8)));
    assertTrue(new HashSet<>(first).size() >= 3, "draws cover the pool: " + first);
    // the draw does not depend on call order
    Router r = Routers.byName("random", ENV.withSeed(7));
    assertEquals(first.get(13), r.select(Contexts.live("django__django-11133", 13, "[]")).modelId());
  }

  private static List<String> randomDraws(RouterEnvironment env) throws RouterException {
    Router r = Routers.byName("random", env);
    List<String> out = new ArrayList<>();
    for (int step = 0; step < 40; step++) {
      out.add(r.select(Contexts.live("django__django-11133", step, "[]")).modelId());
    }
    out.add(r.select(Contexts.live("astropy__astropy-12907", 0, "[]")).modelId());
    return out;
  }

  @Test
  void roundRobinCyclesThePoolByStepIndex() throws Exception {
    Router r = Routers.byName("round-robin", ENV);
    List<String> ids = Contexts.live(0).modelIds();
    for (int step = 0; step < 9; step++) {
      assertEquals(ids.get(step % ids.size()), r.select(Contexts.live(step)).modelId());
    }
  }

  @Test
  void oracleAnswersTheGoldTierOfEveryRowAndIsAnUpperBound() throws Exception {
    Router oracle = Routers.byName("oracle", LABELLED);
    assertTrue(oracle.isUpperBound());
    for (JsonNode row : BANK1) {
      assertEquals(gold(row), oracle.select(Contexts.staticContext(row)).tier(), row.get("id").asText());
    }
    RouterException unknown =
        assertThrows(
            RouterException.class,
            () -> oracle.select(Contexts.staticContext(Contexts.bankRows("bank2.jsonl").get(0))));
    assertEquals(RouterException.Kind.UNSUPPORTED, unknown.kind());
    assertEquals("oracle: no gold label for row pinchbench_pinch_task_08_step_3", unknown.getMessage());
  }

  @Test
  void labelRoutersRefuseToStartWithoutLabels() {
    for (String name : List.of("oracle", "knn", "knn-loo")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Routers.byName(name, ENV));
      assertTrue(e.getMessage().contains("none were given"), e.getMessage());
    }
  }

  @Test
  void inSampleKnnFindsTheRowItselfOrAnIdenticalPrefix() throws Exception {
    Router knn = Routers.byName("knn", LABELLED);
    assertTrue(knn.isUpperBound());
    List<LabeledPrefix> labels = LABELLED.labeledPrefixes();
    for (JsonNode row : BANK1) {
      String text = MessageText.of(row.get("messages"));
      LabeledPrefix firstIdentical =
          labels.stream().filter(p -> p.text().equals(text)).findFirst().orElseThrow();
      RouterDecision d = knn.select(Contexts.staticContext(row));
      assertEquals(firstIdentical.gold(), d.tier(), row.get("id").asText());
      assertTrue(
          d.rationale().startsWith("knn: nearest " + firstIdentical.rowId() + " (cosine 1.0000)"),
          d.rationale());
    }
  }

  @Test
  void leaveOneOutKnnNeverUsesTheAskedTrajectory() throws Exception {
    Router loo = Routers.byName("knn-loo", LABELLED);
    assertFalse(loo.isUpperBound());
    for (JsonNode row : BANK1) {
      RouterDecision d = loo.select(Contexts.staticContext(row));
      String nearest = d.rationale().split(" ")[2];
      JsonNode used =
          BANK1.stream().filter(r -> r.get("id").asText().equals(nearest)).findFirst().orElseThrow();
      assertNotEquals(row.get("instance_id").asText(), used.get("instance_id").asText());
      assertEquals(gold(used), d.tier());
    }
  }

  @Test
  void heuristicScoresWhatTheRouterCanSee() throws Exception {
    Router h = Routers.byName("heuristic", ENV);
    String longTask = "word ".repeat(2000);
    RouterDecision first =
        h.select(Contexts.live("i", 0,
            "[{\"role\":\"system\",\"content\":\"sys\"},{\"role\":\"user\",\"content\":\"" + longTask + "\"}]"));
    assertEquals(Tier.MID, first.tier(), first.rationale());
    RouterDecision failing =
        h.select(Contexts.live("i", 3,
            "[{\"role\":\"user\",\"content\":\"task\"},{\"role\":\"assistant\",\"content\":\"run\"},"
                + "{\"role\":\"tool\",\"content\":\"Traceback (most recent call last):\\n  File x\\nValueError: bad\"}]"));
    assertEquals(Tier.MID_HIGH, failing.tier(), failing.rationale());
    assertTrue(failing.rationale().contains("recent error yes"), failing.rationale());
    RouterDecision routine =
        h.select(Contexts.live("i", 3,
            "[{\"role\":\"user\",\"content\":\"task\"},{\"role\":\"assistant\",\"content\":\"ls\"},"
                + "{\"role\":\"tool\",\"content\":\"a.py b.py\"}]"));
    assertEquals(Tier.LOW, routine.tier(), routine.rationale());
    RouterDecision nonZeroReturn =
        h.select(Contexts.live("i", 3,
            "[{\"role\":\"user\",\"content\":\"task\"},{\"role\":\"assistant\",\"content\":\"pytest\"},"
                + "{\"role\":\"user\",\"content\":\"<returncode>1</returncode><output>1 passed</output>\"}]"));
    assertEquals(Tier.MID_HIGH, nonZeroReturn.tier(), nonZeroReturn.rationale());
    String huge = "token ".repeat(80_000);
    RouterDecision longContext =
        h.select(Contexts.live("i", 9,
            "[{\"role\":\"user\",\"content\":\"" + huge + "\"},{\"role\":\"assistant\",\"content\":\"x\"},"
                + "{\"role\":\"tool\",\"content\":\"TypeError: nope\"}]"));
    assertEquals(Tier.HIGH, longContext.tier(), longContext.rationale());
    // deterministic
    assertEquals(failing, h.select(Contexts.live("i", 3,
        "[{\"role\":\"user\",\"content\":\"task\"},{\"role\":\"assistant\",\"content\":\"run\"},"
            + "{\"role\":\"tool\",\"content\":\"Traceback (most recent call last):\\n  File x\\nValueError: bad\"}]"))
        .withDecisionNanos(failing.decisionNanos()));
  }

  @Test
  void javaRoutersAreLoadedByClassName() throws Exception {
    Router r = Routers.byName("java:io.twinrouter.router.testrouters.StaticMidRouter", ENV.withSeed(99));
    RouterDecision d = r.select(Contexts.live(0));
    assertEquals(Tier.MID, d.tier());
    assertEquals("seed 99", d.rationale());
    assertEquals("static-mid", r.name());
  }

  @Test
  void javaRouterErrorsAreClear() {
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> Routers.byName("java:no.Such", ENV));
    assertEquals("router class 'no.Such' not found on the class path", missing.getMessage());
    IllegalArgumentException notRouter =
        assertThrows(IllegalArgumentException.class, () -> Routers.byName("java:java.lang.Object", ENV));
    assertTrue(notRouter.getMessage().contains("does not implement io.twinrouter.router.Router"));
  }

  @Test
  void misbehavingInProcessRoutersBecomeRouterErrors() throws Exception {
    Router r = Routers.byName("java:io.twinrouter.router.testrouters.MisbehavingRouter", ENV);
    RouterException outside = assertThrows(RouterException.class, () -> r.select(Contexts.live(0)));
    assertEquals(RouterException.Kind.NOT_IN_POOL, outside.kind());
    assertTrue(outside.getMessage().startsWith("model 'openai/gpt-9' is not in the pool"));
    RouterException threw = assertThrows(RouterException.class, () -> r.select(Contexts.live(2)));
    assertEquals(RouterException.Kind.ROUTER_FAILED, threw.kind());
    assertEquals("router failed: IllegalStateException: step 2 is too hard", threw.getMessage());
    ExecutionException async =
        assertThrows(
            ExecutionException.class,
            () -> r.selectAsync(Contexts.live(0), Runnable::run).toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals(RouterException.Kind.NOT_IN_POOL, Router.unwrap(async).kind());
  }

  @Test
  void unknownNamesListTheChoices() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Routers.byName("always-medium", ENV));
    assertTrue(e.getMessage().startsWith("unknown router 'always-medium'; expected one of always-low"));
    assertTrue(e.getMessage().contains("java:fully.qualified.ClassName"));
    assertThrows(IllegalArgumentException.class, () -> Routers.byName("smart", ENV));
    assertThrows(IllegalArgumentException.class, () -> Routers.byName("", ENV));
    Set<String> builtIns = new HashSet<>(Routers.BUILT_IN);
    assertEquals(Routers.BUILT_IN.size(), builtIns.size());
  }
}
