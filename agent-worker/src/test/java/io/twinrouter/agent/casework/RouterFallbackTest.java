package io.twinrouter.agent.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.loop.Scripted;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.config.RouterErrorPolicy;
import io.twinrouter.config.Tier;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.RouterException;
import io.twinrouter.router.catalog.Routers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * {@code --on-router-error}: whole cases (scripted model and sandbox) with in-process routers
 * (named {@code java:...}, as a user's would be) that fail on step 1 only, slow or wrong.
 */
class RouterFallbackTest extends CaseHarness {

  /** High at once, except on step 1: no answer for 10 s. */
  public static final class SlowOnStepOne implements Router {
    @Override
    public String name() {
      return "slow-on-step-one";
    }

    @Override
    public RouterDecision select(RouterContext ctx) throws RouterException {
      if (ctx.stepIndex() == 1) {
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return RouterDecision.forTier(ctx, Tier.HIGH, "own");
    }
  }

  /** High, except on step 1: a model outside the pool. */
  public static final class OutsideThePoolOnStepOne implements Router {
    @Override
    public String name() {
      return "outside-on-step-one";
    }

    @Override
    public RouterDecision select(RouterContext ctx) throws RouterException {
      return ctx.stepIndex() == 1 ? new RouterDecision("openai/gpt-9", Tier.HIGH, null, 0)
          : RouterDecision.forTier(ctx, Tier.HIGH, "own");
    }
  }

  static LiveTrackSettings limits(Duration selectTimeout, String policy) {
    LiveTrackSettings d = limits(250, 3.0, selectTimeout);
    return new LiveTrackSettings(d.stepLimit(), d.costLimitUsd(), d.commandTimeout(),
        d.observationLimitChars(), d.wallclockTtlSec(), d.selectTimeout(), d.failurePenaltyUsd(),
        d.workers(), RouterErrorPolicy.parse(policy));
  }

  RouterChooser chooser(Class<? extends Router> router) {
    return new RouterChooser(Routers.byName("java:" + router.getName(),
        RouterEnvironment.of(SETTINGS)), Executors.newCachedThreadPool());
  }

  Scripted.Model threeSteps() {
    return new Scripted.Model(
        Scripted.bash("THOUGHT: look", usage(), "ls"),
        Scripted.bash("THOUGHT: look again", usage(), "ls -la"),
        Scripted.bash("THOUGHT: submit", usage(), SUBMIT));
  }

  @Test
  void aSlowAnswerFallsBackToTheTierAndTheTraceSaysSo() throws Exception {
    // the timeouts are far from the answers' times: a loaded machine is slow even at once
    Run r = run(limits(Duration.ofSeconds(2), "tier:low"), threeSteps(),
        chooser(SlowOnStepOne.class));

    assertEquals("Submitted", r.report().exitStatus(), r.report().agentError());
    assertEquals(Map.of(OPUS, 2, CHEAP, 1), r.report().modelDistribution());
    JsonNode fallback = r.trace().get(1);
    assertEquals(1, fallback.get("step_index").asInt());
    assertEquals("low", fallback.get("tier").asText());
    assertEquals(CHEAP, fallback.get("model_id").asText());
    assertTrue(fallback.get("router_fallback").asBoolean());
    assertTrue(fallback.get("router_error").asText().startsWith("SelectDeadlineExceeded: "),
        fallback.toString());
    assertEquals("router error; fallback to tier low", fallback.get("rationale").asText());
    assertTrue(fallback.get("router_decision_ms").asDouble() > 0, fallback.toString());
    for (int i : new int[] {0, 2}) {
      JsonNode own = r.trace().get(i);
      assertEquals("high", own.get("tier").asText());
      assertFalse(own.has("router_fallback"), own.toString());
      assertFalse(own.has("router_error"), own.toString());
    }
  }

  @Test
  void anAnswerOutsideThePoolFallsBackToo() throws Exception {
    Run r = run(limits(Duration.ofSeconds(5), "tier:mid"), threeSteps(),
        chooser(OutsideThePoolOnStepOne.class));

    assertEquals("Submitted", r.report().exitStatus(), r.report().agentError());
    JsonNode fallback = r.trace().get(1);
    assertEquals("mid", fallback.get("tier").asText());
    assertTrue(fallback.get("router_error").asText().startsWith("InvalidRouterDecision: "),
        fallback.toString());
    assertTrue(fallback.get("router_error").asText().contains("openai/gpt-9"));
  }

  @Test
  void underEndTheSameFailureEndsTheCaseAsARouterError() throws Exception {
    Run r = run(limits(Duration.ofSeconds(2), "end"), threeSteps(), chooser(SlowOnStepOne.class));

    assertEquals("SelectDeadlineExceeded", r.report().exitStatus());
    assertFalse(r.report().resolved());
    assertEquals(1, r.trace().stream().filter(row -> row.has("step_index")).count(),
        "only step 0 was billed: " + r.trace());
  }
}
