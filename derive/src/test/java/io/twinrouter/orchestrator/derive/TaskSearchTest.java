package io.twinrouter.orchestrator.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Rates;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Downgrade and cascade on made-up trial outcomes: the order of trials and what gets locked. */
class TaskSearchTest {
  private static final ModelPool LOCKED = TwinrouterSettings.load().pool();
  private static final String HIGH = LOCKED.highBaseline().modelId();
  private static final String LOW = LOCKED.forTier(Tier.LOW).orElseThrow().modelId();
  private static final String MID = LOCKED.forTier(Tier.MID).orElseThrow().modelId();
  private static final String MID_HIGH = LOCKED.forTier(Tier.MID_HIGH).orElseThrow().modelId();

  /** Runs a search to its end, answering each plan with {@code passes}; returns the plans run. */
  private static List<List<String>> drive(TaskSearch s, int seedSteps, Predicate<List<String>> passes) {
    List<List<String>> plans = new ArrayList<>();
    while (!s.done()) {
      List<String> plan = s.nextPlan().orElseThrow();
      plans.add(plan);
      boolean ok = plans.size() == 1 || passes.test(plan);
      s.onOutcome(new TrialOutcome("t", plan, ok, ok ? seedSteps : seedSteps + 1, 0.01,
          "Submitted", "runs/x"));
    }
    return plans;
  }

  @Test
  void triesCheaperTiersFromLowUpAndLocksTheFirstThatKeepsTheSeedsOutcome() {
    TaskSearch s = new TaskSearch("t", LOCKED);
    // step 0 passes at low; step 1 only at mid_high; step 2 at nothing cheaper than high
    List<List<String>> plans = drive(s, 3, plan -> {
      if (plan.size() == 1) {
        return plan.get(0).equals(LOW);
      }
      if (plan.size() == 2) {
        return plan.get(1).equals(MID_HIGH);
      }
      return false;
    });
    assertEquals(List.of(
        List.of(),                              // the seed, all high
        List.of(LOW),                           // step 0 at low: accepted
        List.of(LOW, LOW), List.of(LOW, MID), List.of(LOW, MID_HIGH),   // step 1: cascade upward
        List.of(LOW, MID_HIGH, LOW), List.of(LOW, MID_HIGH, MID), List.of(LOW, MID_HIGH, MID_HIGH)),
        plans);
    assertEquals(List.of(Tier.LOW, Tier.MID_HIGH, Tier.HIGH), s.targets());
    assertEquals(List.of(LOW, MID_HIGH, HIGH), s.lockedModels());
    assertEquals(List.of(LOW, MID_HIGH), s.finalTrajectory().plan(),
        "the locked trajectory is the last accepted trial; trailing high steps are left out");
    assertTrue(s.kept());
  }

  @Test
  void aTrialThatResolvesInMoreStepsThanTheSeedIsNotAccepted() {
    TaskSearch s = new TaskSearch("t", LOCKED);
    s.onOutcome(new TrialOutcome("t", List.of(), true, 2, 0.1, "Submitted", "r"));
    s.onOutcome(new TrialOutcome("t", List.of(LOW), true, 3, 0.1, "Submitted", "r"));
    assertEquals(List.of(MID), s.nextPlan().orElseThrow());
  }

  @Test
  void aSeedTheStrongestTierDoesNotResolveDropsTheTask() {
    TaskSearch s = new TaskSearch("t", LOCKED);
    s.onOutcome(new TrialOutcome("t", List.of(), false, 7, 0.1, "Submitted", "r"));
    assertTrue(s.done());
    assertFalse(s.kept());
    assertTrue(s.nextPlan().isEmpty());
  }

  @Test
  void cascadesOverUpToThreeModelsOfATierInPoolOrder() {
    Rates r = new Rates(1, 1, 1, 1);
    List<PoolModel> models = new ArrayList<>();
    models.add(new PoolModel("h", Tier.HIGH, r, "", "h", "", true, "openai"));
    for (int i = 1; i <= 4; i++) {
      models.add(new PoolModel("mid" + i, Tier.MID, r, "", "mid" + i, "", false, "openai"));
    }
    models.add(new PoolModel("low1", Tier.LOW, r, "", "low1", "", false, "openai"));
    ModelPool pool = new ModelPool(models);
    assertEquals(List.of("low1", "mid1", "mid2", "mid3"),
        TaskSearch.cheaperModels(pool).stream().map(PoolModel::modelId).toList());

    TaskSearch s = new TaskSearch("t", pool);
    List<List<String>> plans = drive(s, 1, plan -> plan.get(0).equals("mid2"));
    assertEquals(List.of(List.of(), List.of("low1"), List.of("mid1"), List.of("mid2")), plans);
    assertEquals(List.of(Tier.MID), s.targets());
  }
}
