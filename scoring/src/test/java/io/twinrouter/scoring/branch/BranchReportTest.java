package io.twinrouter.scoring.branch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.Tier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The branch report's arithmetic on a hand-made grid with known answers. */
class BranchReportTest {

  private static final double PENALTY = 0.60;

  private static BranchReport.SourceCase source(String id, boolean resolved, Tier... tiers) {
    List<BranchReport.SourceStep> steps = new java.util.ArrayList<>();
    for (int i = 0; i < tiers.length; i++) {
      steps.add(new BranchReport.SourceStep(i, tiers[i].wireName() + "-model", tiers[i], 0.01));
    }
    return new BranchReport.SourceCase(id, resolved, 0.01 * tiers.length, steps);
  }

  private static BranchReport.Branch branch(String id, int at, Tier tier, boolean resolved,
      double cost) {
    return new BranchReport.Branch(id, at, tier.wireName(), tier.wireName() + "-model", tier,
        resolved, cost, 4, null, null, null, null);
  }

  @Test
  void namesTheBreakingDowngradesTheRescuingUpgradesAndTheRegret() {
    var resolvedMid = source("a", true, Tier.MID, Tier.MID, Tier.MID, Tier.MID);
    var failedLow = source("b", false, Tier.LOW, Tier.LOW, Tier.LOW, Tier.LOW);
    var report = new BranchReport("run-1", "mixed", PENALTY, List.of(resolvedMid, failedLow),
        List.of(
            branch("a", 1, Tier.LOW, true, 0.03), // a cheaper choice that still resolves
            branch("a", 2, Tier.LOW, false, 0.03), // a downgrade that breaks
            branch("a", 3, Tier.HIGH, true, 0.09),
            branch("b", 0, Tier.HIGH, false, 0.2),
            branch("b", 2, Tier.HIGH, true, 0.1), // one upgrade rescues
            new BranchReport.Branch("b", 3, "high", "high-model", Tier.HIGH, false, 0.02, 3,
                "ReplayDiverged: step 1: command 'x' exited 1, recorded 0", 1, 1, 0)));

    assertEquals(Optional.of(2), report.earliestChangingStep("a"));
    assertEquals(List.of(2), report.breakingDowngrades("a").stream().map(b -> b.at()).toList());
    assertTrue(report.rescuingUpgrades("a").isEmpty());
    assertEquals(Optional.of(2), report.earliestChangingStep("b"));
    assertEquals(List.of(2), report.rescuingUpgrades("b").stream().map(b -> b.at()).toList());

    // a: the router paid 0.04 and resolved; at step 1 low resolved for 0.03
    assertEquals(0.01, report.regretUsd("a", 1).orElseThrow(), 1e-12);
    assertEquals(0.0, report.regretUsd("a", 2).orElseThrow(), 1e-12);
    // b: the router's failure costs 0.04 + 0.60; at step 2 high resolved for 0.10
    assertEquals(0.54, report.regretUsd("b", 2).orElseThrow(), 1e-12);
    assertEquals(Optional.empty(), report.regretUsd("b", 3), "a void branch decides nothing");

    JsonNode j = report.toJson();
    JsonNode b = j.path("cases").get(1);
    assertEquals("b", b.path("instance_id").asText());
    assertTrue(b.path("recoverable_by_one_upgrade").asBoolean());
    assertFalse(j.path("cases").get(0).path("recoverable_by_one_upgrade").asBoolean());
    JsonNode fatal = j.path("router_view").path("fatal_downgrades");
    assertEquals(1, fatal.size(), fatal.toString());
    assertEquals("low", fatal.get(0).path("chose").asText());
    assertEquals("high", fatal.get(0).path("rescued_by").asText());
    JsonNode voided = j.path("branches").get(5);
    assertTrue(voided.path("void").asBoolean(), voided.toString());
    assertEquals(1, voided.path("diverged_at_step").asInt());
    assertEquals(1, voided.path("exit_code").asInt());
    assertEquals(0, voided.path("recorded_exit_code").asInt());
    assertEquals(0.01, j.path("branches").get(1).path("new_spend_usd").asDouble(), 1e-12,
        "the branch at step 2 ($0.03) paid all but the source's two replayed steps ($0.02)");

    String text = report.toText();
    assertTrue(text.contains("step 2   mid -> low      failed, $0.030000, 2 steps to the end"
        + "  <- downgrade breaks the case"), text);
    assertTrue(text.contains("recoverable by upgrading one step: yes (step 2 to high)"), text);
    assertTrue(text.contains("VOID: ReplayDiverged: step 1"), text);
    assertTrue(text.contains("fatal downgrades: b step 2 (chose low; high resolves)"), text);
  }
}
