package io.twinrouter.router.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.twinrouter.config.Tier;
import io.twinrouter.router.Contexts;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DerivationRouterTest {
  private static final String HIGH = Contexts.SETTINGS.pool().highBaseline().modelId();
  private static final String LOW =
      Contexts.SETTINGS.pool().forTier(Tier.LOW).orElseThrow().modelId();
  private static final String MID =
      Contexts.SETTINGS.pool().forTier(Tier.MID).orElseThrow().modelId();
  private static final String MSGS = "[{\"role\":\"user\",\"content\":\"x\"}]";

  @Test
  void followsEachCasesPlanStepByStepAndFallsBackToHighPastIt() throws RouterException {
    DerivationRouter r = new DerivationRouter(Map.of("a", List.of(LOW, HIGH, MID)), HIGH);
    assertEquals(LOW, r.select(Contexts.live("a", 0, MSGS)).modelId());
    assertEquals(HIGH, r.select(Contexts.live("a", 1, MSGS)).modelId());
    RouterDecision d = r.select(Contexts.live("a", 2, MSGS));
    assertEquals(MID, d.modelId());
    assertEquals(Tier.MID, d.tier());
    assertEquals(HIGH, r.select(Contexts.live("a", 3, MSGS)).modelId());
    assertEquals(HIGH, r.select(Contexts.live("other", 0, MSGS)).modelId());
  }

  @Test
  void aPlanNamingAModelOutsideThePoolIsARouterError() {
    DerivationRouter r = new DerivationRouter(Map.of("a", List.of("nope/model")), HIGH);
    RouterException e = assertThrows(RouterException.class,
        () -> r.select(Contexts.live("a", 0, MSGS)));
    assertEquals(RouterException.Kind.NOT_IN_POOL, e.kind());
  }
}
