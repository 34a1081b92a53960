package io.twinrouter.orchestrator.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.twinrouter.bank.BankLoader;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code static derive} end to end on two easy tasks of the bundled suite (simulated pool, bwrap
 * sandboxes): two derivations with the same seed write the same bank byte for byte; every label
 * above low is re-checked by running its trajectory with that step one tier lower, which must lose
 * the seed's outcome; the bank loads in the bank loader and scores with the static scorer.
 */
class StaticDeriveLocalIT {
  static final List<String> TASKS =
      List.of("twinrouter-suite__ledgerkit-101", "twinrouter-suite__tinyini-201");
  static final long SEED = 1;
  /** Summaries may hold bare NaN, as the reference writes them. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();

  @TempDir Path dir;

  private DeriveOptions options(String name, Path ids) {
    return new DeriveOptions("bundled", "sim", "local", dir.resolve(name).resolve("bank.jsonl"),
        SEED, Optional.of(ids), 2);
  }

  @Test
  void derivesTheSameVerifiedBankTwiceAndItLoadsAndScores() throws Exception {
    Path ids = Files.writeString(dir.resolve("ids.txt"), String.join("\n", TASKS) + "\n");
    // the two derivations run at once: each has its own pool, journal, sandboxes and run ids
    CompletableFuture<Derivation.Result> second = CompletableFuture.supplyAsync(() -> {
      try {
        return new Derivation(options("b", ids), SETTINGS).run(false);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Derivation.Result a = new Derivation(options("a", ids), SETTINGS).run(false);
    Derivation.Result b = second.get();

    assertEquals(-1, Files.mismatch(a.bank(), b.bank()), "same seed, same bank byte for byte");
    assertEquals(TASKS.size(), a.kept(), "the strongest tier resolves both easy tasks");
    assertTrue(a.trialsRun() > a.rows(), "a seed run and at least one trial per step");

    LoadedBank bank = BankLoader.load(a.bank(),
        TokenizerSet.fromSettings(SETTINGS.staticTrack().tokenizers()));
    assertEquals(a.rows(), bank.rowCount());
    assertEquals(TASKS.size(), bank.trajectoryCount());

    JsonNode manifest = JSON.readTree(a.manifest().toFile());
    assertEquals(a.rows(), manifest.path("total_line_count").asInt());
    assertEquals(SEED, manifest.path("seed").asLong());
    assertEquals(4, manifest.path("pool").path("models").size());
    List<JsonNode> rows = rows(a.bank());
    checkRows(rows, manifest);
    verifyLabels(manifest, ids);
    score(a.bank(), rows);

    // a rerun on the same --out reuses every trial and rewrites the same bank
    Derivation.Result again = new Derivation(options("a", ids), SETTINGS).run(false);
    assertEquals(0, again.trialsRun());
    assertEquals(-1, Files.mismatch(a.bank(), again.bank()));
  }

  /** Row format: ids, step indexes 1..n, labels as the manifest's targets, growing prefixes. */
  private static void checkRows(List<JsonNode> rows, JsonNode manifest) {
    Map<String, List<JsonNode>> byTask = new LinkedHashMap<>();
    for (JsonNode r : rows) {
      byTask.computeIfAbsent(r.path("instance_id").asText(), k -> new ArrayList<>()).add(r);
      assertEquals("swebench", r.path("benchmark").asText());
      assertEquals(Tier.fromName(r.path("target_tier").asText()).id(),
          r.path("target_tier_id").asInt());
      for (JsonNode m : r.path("messages")) {
        assertFalse(m.has("extra"), "bookkeeping never reaches the bank");
      }
    }
    assertEquals(TASKS, List.copyOf(byTask.keySet()));
    for (JsonNode t : manifest.path("per_task")) {
      List<JsonNode> steps = byTask.get(t.path("instance_id").asText());
      int n = t.path("seed_run").path("steps").asInt();
      assertEquals(n, steps.size());
      for (int i = 0; i < n; i++) {
        JsonNode r = steps.get(i);
        assertEquals(i + 1, r.path("step_index").asInt());
        assertEquals(n, r.path("total_steps").asInt());
        assertEquals("swebench_" + t.path("instance_id").asText() + "_step_" + (i + 1),
            r.path("id").asText());
        assertEquals(t.path("target_tiers").get(i).asText(), r.path("target_tier").asText());
        if (i > 0) {
          assertTrue(r.path("messages").size() > steps.get(i - 1).path("messages").size());
        }
      }
    }
  }

  /**
   * Every step labelled above low: the trajectory with that step one tier lower (each model of
   * that tier the cascade would try), earlier steps at their labels and later ones at high, run
   * again from scratch in a fresh work directory, must not resolve in the seed's number of steps.
   */
  private void verifyLabels(JsonNode manifest, Path ids) throws Exception {
    ModelPool pool = SETTINGS.pool();
    DeriveOptions verify = options("verify", ids);
    TrialBatch batch = new TrialBatch(verify, SETTINGS, pool.highBaseline().modelId());
    List<Map<String, List<String>>> rounds = new ArrayList<>();
    int checked = 0;
    for (JsonNode t : manifest.path("per_task")) {
      String id = t.path("instance_id").asText();
      List<String> locked = new ArrayList<>();
      t.path("locked_models").forEach(m -> locked.add(m.asText()));
      int round = 0;
      for (int k = 0; k < locked.size(); k++) {
        Tier target = pool.byId(locked.get(k)).orElseThrow().tier();
        if (target == Tier.LOW) {
          continue;
        }
        Tier lower = Tier.values()[target.id() - 1];
        for (PoolModel m : pool.allOfTier(lower).stream().limit(TaskSearch.CASCADE).toList()) {
          List<String> plan = new ArrayList<>(locked.subList(0, k));
          plan.add(m.modelId());
          while (rounds.size() <= round) {
            rounds.add(new LinkedHashMap<>());
          }
          rounds.get(round++).put(id, TaskSearch.canonical(plan, pool.highBaseline().modelId()));
          checked++;
        }
      }
    }
    assertTrue(checked > 0, "seed " + SEED + " labels at least one step above low on these tasks");
    for (Map<String, List<String>> plans : rounds) {
      for (TrialOutcome o : batch.run(plans, id -> {})) {
        int seedSteps = seedSteps(manifest, o.instanceId());
        assertFalse(o.resolved() && o.steps() == seedSteps,
            o.instanceId() + " still resolves in " + seedSteps + " steps with plan " + o.plan());
      }
    }
  }

  private static int seedSteps(JsonNode manifest, String id) {
    for (JsonNode t : manifest.path("per_task")) {
      if (t.path("instance_id").asText().equals(id)) {
        return t.path("seed_run").path("steps").asInt();
      }
    }
    throw new AssertionError(id);
  }

  /** always-high passes every row; the labels themselves are exact; always-low fails a trajectory. */
  private void score(Path bank, List<JsonNode> rows) throws Exception {
    StringBuilder high = new StringBuilder();
    StringBuilder gold = new StringBuilder();
    StringBuilder low = new StringBuilder();
    for (JsonNode r : rows) {
      String id = JSON.writeValueAsString(r.path("id").asText());
      high.append("{\"id\": ").append(id).append(", \"tier\": \"high\"}\n");
      gold.append("{\"id\": ").append(id).append(", \"tier\": \"")
          .append(r.path("target_tier").asText()).append("\"}\n");
      low.append("{\"id\": ").append(id).append(", \"tier\": \"low\"}\n");
    }
    JsonNode h = scoreCli(bank, "high", high.toString()).path("scores_v2");
    assertEquals(100.0, h.path("case_pass_rate_percent").asDouble());
    assertEquals(100.0, h.path("trajectory_pass_rate_percent").asDouble());
    JsonNode g = scoreCli(bank, "gold", gold.toString()).path("scores_v2");
    assertEquals(100.0, g.path("case_exact_match_percent").asDouble());
    assertTrue(g.path("cost_savings_score_percent").asDouble() > 0);
    JsonNode l = scoreCli(bank, "low", low.toString()).path("scores_v2");
    assertTrue(l.path("trajectory_pass_rate_percent").asDouble() < 100.0,
        "a label above low fails always-low's trajectory");
  }

  private JsonNode scoreCli(Path bank, String label, String predictions) throws Exception {
    Path preds = Files.writeString(dir.resolve(label + ".jsonl"), predictions);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.run("static", "score", "--bank", bank.toString(), "--predictions",
          preds.toString(), "--json");
    } finally {
      System.setOut(original);
    }
    assertEquals(0, code);
    return JSON.readTree(captured.toString(StandardCharsets.UTF_8));
  }

  private static List<JsonNode> rows(Path bank) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(bank, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }
}
