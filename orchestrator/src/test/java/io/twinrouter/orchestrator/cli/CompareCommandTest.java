package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.scoring.compare.ComparePlan;
import io.twinrouter.scoring.compare.SequentialDesign;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare --plan} (runs nothing) and {@code compare}'s answers to bad input. */
class CompareCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void thePlanStatesItsAssumptionsAndBeatsTheFixedDesign() throws Exception {
    CliOutput plan = CliOutput.run("compare", "--routers", "always-high,always-low", "--plan",
        "--json");
    assertEquals(0, plan.exitCode(), plan.stdout());
    JsonNode p = JSON.readTree(plan.stdout()).path("pairs").get(0);
    assertEquals(0.5, p.path("discordance").asDouble(), 1e-12, "0.55 * 0.5 + 0.5 * 0.45");
    assertTrue(p.path("assumptions").asText().contains("--base-rate"), p.toString());
    assertEquals(1568, p.path("fixed_n_cases").asDouble(), 0.0, "Connor's n at effect 0.05");
    double expected = p.path("expected_cases_at_effect").asDouble();
    assertTrue(expected > 1000 && expected < 1568, "sequential " + expected);
    assertTrue(p.path("exact_alpha").asDouble() <= 0.05);
    assertTrue(p.path("exact_power").asDouble() >= 0.8);
    assertTrue(p.path("expected_cost_usd").isNull(), "no earlier run, no bill");
    // why the 13 bundled cases cannot decide at the defaults: 37 straight wins are needed
    assertEquals(37, p.path("fewest_untied_cases_to_name_a_winner").asInt(), p.toString());
    CliOutput large = CliOutput.run("compare", "--routers", "always-high,always-low", "--plan",
        "--effect", "0.35", "--alpha", "0.1", "--base-rate", "0.6", "--repeats", "3");
    assertTrue(large.stdout().contains("fewest untied cases that can name a winner: 5,"),
        large.stdout());

    // and before a run, a note when the cases to run are too few for that
    double psi = ComparePlan.discordanceOfIndependentArms(0.5, 0.05);
    SequentialDesign defaults = ComparePlan.of(0.05, 0.8, 0.05, psi, "", Optional.empty()).design();
    String note = CompareCommand.noWinnerNote(0.05, defaults, 13).orElseThrow();
    assertTrue(note.contains("at least 37 untied cases") && note.contains("only 13 cases"), note);
    assertTrue(CompareCommand.noWinnerNote(0.05, defaults, 37).isEmpty(), "37 cases can decide");
  }

  @Test
  void threeRoutersTestEveryPairAtAThirdOfAlpha() throws Exception {
    CliOutput plan = CliOutput.run("compare", "--routers", "always-high,always-low,heuristic",
        "--plan", "--json");
    assertEquals(0, plan.exitCode(), plan.stdout());
    JsonNode pairs = JSON.readTree(plan.stdout()).path("pairs");
    assertEquals(3, pairs.size());
    assertEquals("always-low", pairs.get(2).path("a").asText());
    assertEquals("heuristic", pairs.get(2).path("b").asText());
    for (JsonNode p : pairs) {
      assertEquals(0.05 / 3, p.path("alpha").asDouble(), 1e-12, "Bonferroni");
      assertTrue(p.path("exact_alpha").asDouble() <= 0.05 / 3);
    }
  }

  @Test
  void earlierRunsGiveTheDiscordanceAndTheBill() throws Exception {
    Path a = run("a", new boolean[] {true, true, true, false}, 0.3);
    Path b = run("b", new boolean[] {true, false, false, false}, 0.1);
    CliOutput plan = CliOutput.run("compare", "--routers", "always-high,always-low", "--plan",
        "--json", "--effect", "0.2", "--from", a.toString(), b.toString());
    assertEquals(0, plan.exitCode(), plan.stdout());
    JsonNode p = JSON.readTree(plan.stdout()).path("pairs").get(0);
    assertEquals(0.5, p.path("discordance").asDouble(), 1e-12, "2 of 4 cases differ");
    double perCase = 0.3 + 0.1;
    assertEquals(perCase * p.path("expected_cases_at_effect").asDouble(),
        p.path("expected_cost_usd").asDouble(), 1e-9);
  }

  @Test
  void badInputNamesTheOptionAndExitsTwo() {
    var power = ServeCommandTest.cli("compare", "--routers", "a,b", "--plan", "--power", "1.5");
    assertEquals(2, power.status());
    assertTrue(power.err().contains("--power"), power.err());
    var one = ServeCommandTest.cli("compare", "--routers", "always-high", "--plan");
    assertEquals(2, one.status());
    assertTrue(one.err().contains("--routers"), one.err());
    var out = ServeCommandTest.cli("compare", "--routers", "always-high,always-low");
    assertEquals(2, out.status());
    assertTrue(out.err().contains("--out"), out.err());
    var from = ServeCommandTest.cli("compare", "--routers", "always-high,always-low", "--plan",
        "--from", dir.toString());
    assertEquals(2, from.status());
    assertTrue(from.err().contains("--from"), from.err());
  }

  private Path run(String name, boolean[] resolved, double bill) throws Exception {
    Path results = Files.createDirectories(dir.resolve(name).resolve("results"));
    for (int i = 0; i < resolved.length; i++) {
      Files.writeString(results.resolve("case-" + i + ".json"), JSON.createObjectNode()
          .put("instance_id", "case-" + i).put("resolved", resolved[i])
          .put("total_router_cost_usd", bill).toString());
    }
    return dir.resolve(name);
  }
}
