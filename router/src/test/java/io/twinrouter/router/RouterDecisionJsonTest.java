package io.twinrouter.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.common.Json;
import io.twinrouter.config.Tier;
import org.junit.jupiter.api.Test;

/**
 * Decisions as journalled steps keep them (agent-worker's StepPayload writes them with
 * {@link Json#TOLERANT}): a fallback keeps its router error through a resume, and a decision
 * journalled before fallbacks existed still reads.
 */
class RouterDecisionJsonTest {

  @Test
  void aFallbackKeepsItsRouterErrorThroughJson() throws Exception {
    RouterDecision d = RouterDecision.fallback("deepseek/deepseek-v3.2", Tier.LOW,
        "SelectDeadlineExceeded: router select did not answer within 2.0 s", 2_000_000_000L);
    String json = Json.TOLERANT.writeValueAsString(d);
    RouterDecision back = Json.TOLERANT.readValue(json, RouterDecision.class);
    assertEquals(d, back);
    assertTrue(back.isFallback());
    assertFalse(json.contains("\"fallback\""), "isFallback is derived, not written: " + json);
  }

  @Test
  void aDecisionJournalledBeforeFallbacksReadsAsTheRoutersOwn() throws Exception {
    RouterDecision old = Json.TOLERANT.readValue("{\"modelId\": \"minimax/minimax-m2.7\","
        + " \"tier\": \"MID\", \"rationale\": \"r\", \"decisionNanos\": 5}", RouterDecision.class);
    assertEquals(new RouterDecision("minimax/minimax-m2.7", Tier.MID, "r", 5), old);
    assertNull(old.routerError());
    assertFalse(old.isFallback());
  }
}
