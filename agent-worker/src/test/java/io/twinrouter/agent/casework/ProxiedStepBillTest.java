package io.twinrouter.agent.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.CaseLoop;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.loop.Scripted;
import io.twinrouter.agent.loop.Templates;
import io.twinrouter.agent.loop.TurnResult;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.common.Json;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import io.twinrouter.router.RouterDecision;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A step a routing proxy answered after two upstream calls: the loop bills both, each at its own
 * model's rates, and the journal keeps the other call, so a resumed case bills it again the same.
 */
class ProxiedStepBillTest {

  private static ModelTurn stamped(ModelTurn t, PoolModel m) {
    return new ModelTurn(m.modelId(), t.provider(), t.message(), t.content(), t.toolCalls(),
        t.finishReason(), t.usage(), t.usage().costUsd(m.rates()), t.startedAt(),
        t.finishedAt(), t.latencyMs(), t.retries(), t.rawResponse());
  }

  @Test
  void bothCallsAreBilledAndSurviveTheJournal() throws Exception {
    PoolModel low = CaseHarness.POOL.forTier(Tier.LOW).orElseThrow();
    PoolModel high = CaseHarness.POOL.forTier(Tier.HIGH).orElseThrow();
    ModelTurn classifier = stamped(Scripted.bash("which model?", Scripted.usage(900, 0, 5), "true"),
        low);
    ModelTurn answer = stamped(Scripted.bash("look", Scripted.usage(1200, 200, 80), "ls"), high)
        .withOtherCalls(List.of(classifier));
    RouterDecision decision = new RouterDecision(high.modelId(), Tier.HIGH, "proxy", 1_000_000);

    StepPayload payload = new StepPayload(decision, answer, List.of());
    StepPayload back = StepPayload.fromJson(payload.toJson());
    assertEquals(payload.toJson(), back.toJson());
    assertEquals(1, back.turn().otherCalls().size());
    // a journal written before proxies has no otherCalls: a direct call
    ObjectNode old = (ObjectNode) Json.MAPPER.readTree(payload.toJson());
    ((ObjectNode) old.get("turn")).remove("otherCalls");
    assertEquals(List.of(), StepPayload.fromJson(old.toString()).turn().otherCalls());

    CaseLoop loop = new CaseLoop(new CaseTask("proxy__case-1", "proxy/case", "Fix it."),
        CaseHarness.POOL, CaseHarness.limits(250, 3.0, Duration.ofSeconds(30)),
        AgentSettings.from(ConfigFactory.load()), Templates.defaults());
    loop.nextCall(1000.0);
    TurnResult.Priced priced = assertInstanceOf(TurnResult.Priced.class,
        loop.onTurn(0, high, back.decision(), back.turn()));
    double expected = answer.usage().costUsd(high.rates())
        + classifier.usage().costUsd(low.rates());
    assertEquals(expected, priced.record().stepCostUsd(), 1e-15);
    assertEquals(expected, loop.costUsd(), 1e-15);
    assertEquals(low.modelId(), priced.record().otherCalls().get(0).modelId());
    assertEquals(classifier.usage().outputTokens(),
        priced.record().otherCalls().get(0).usage().outputTokens());
  }
}
