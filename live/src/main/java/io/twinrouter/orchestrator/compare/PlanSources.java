package io.twinrouter.orchestrator.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.orchestrator.live.RunOutputs;
import io.twinrouter.scoring.compare.ComparePlan;
import io.twinrouter.scoring.gap.GapStatistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan of a comparison from what is known before it runs: earlier runs of the same pool
 * ({@code --from}) when given, stated assumptions otherwise.
 */
public final class PlanSources {

  private PlanSources() {}

  /** One earlier run's cases: resolved and bill, by instance id. */
  record EarlierRun(Path dir, Map<String, Boolean> resolved, Map<String, Double> bill) {
    double meanBill() {
      return bill.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    double resolveRate() {
      return resolved.values().stream().filter(b -> b).count() / (double) resolved.size();
    }
  }

  /** The plan for one pair's test at level {@code alpha}. */
  public static ComparePlan plan(CompareOptions o, double alpha) {
    List<EarlierRun> runs = o.from().stream().map(PlanSources::read).toList();
    int arms = o.routers().size();
    if (runs.isEmpty()) {
      double psi = ComparePlan.discordanceOfIndependentArms(o.baseRate(), o.effect());
      return ComparePlan.of(alpha, o.power(), o.effect(), psi, String.format(
          "no earlier runs (--from): B resolves %.2f of the cases (--base-rate), A %.2f, "
              + "independently given the case, so they disagree on %.3f of the cases; "
              + "no bill per case is known", o.baseRate(), o.baseRate() + o.effect(), psi),
          Optional.empty());
    }
    if (runs.size() == 1) {
      EarlierRun r = runs.get(0);
      double base = Math.min(r.resolveRate(), 1 - o.effect() - 1e-9);
      double psi = ComparePlan.discordanceOfIndependentArms(base, o.effect());
      return ComparePlan.of(alpha, o.power(), o.effect(), psi, String.format(
          "one earlier run (%s, %d cases): B resolves %.2f of the cases as it did, A %.2f more, "
              + "independently given the case (discordance %.3f); each router's bill per case is "
              + "that run's mean, %.4f USD", r.dir(), r.resolved().size(), base, o.effect(), psi,
          r.meanBill()), Optional.of(arms * o.repeats() * r.meanBill()));
    }
    EarlierRun a = runs.get(0);
    EarlierRun b = runs.get(1);
    List<String> shared = a.resolved().keySet().stream().filter(b.resolved()::containsKey).toList();
    if (shared.isEmpty()) {
      throw new IllegalArgumentException("--from: " + a.dir() + " and " + b.dir()
          + " share no case, so their discordance is unknown");
    }
    boolean[] ra = new boolean[shared.size()];
    boolean[] rb = new boolean[shared.size()];
    for (int i = 0; i < shared.size(); i++) {
      ra[i] = a.resolved().get(shared.get(i));
      rb[i] = b.resolved().get(shared.get(i));
    }
    double psi = Math.max(GapStatistics.planningDiscordance(ra, rb), o.effect() + 0.01);
    double perCase = (a.meanBill() + b.meanBill()) * o.repeats() * arms / 2;
    return ComparePlan.of(alpha, o.power(), o.effect(), psi, String.format(
        "earlier runs %s and %s disagree on %.3f of their %d shared cases (the discordance "
            + "planned with, at least --effect + 0.01); the bill per case and router is their "
            + "mean, %.4f USD", a.dir(), b.dir(), psi, shared.size(), perCase / (arms * o.repeats())),
        Optional.of(perCase));
  }

  static EarlierRun read(Path dir) {
    Path results = dir.resolve("results");
    if (!Files.isDirectory(results)) {
      throw new IllegalArgumentException("--from: " + dir + " has no results/ folder (not a run directory)");
    }
    Map<String, Boolean> resolved = new LinkedHashMap<>();
    Map<String, Double> bill = new LinkedHashMap<>();
    for (JsonNode r : RunOutputs.results(dir)) {
      if (r.hasNonNull("instance_id")) {
        resolved.put(r.get("instance_id").asText(), r.path("resolved").asBoolean());
        bill.put(r.get("instance_id").asText(), r.path("total_router_cost_usd").asDouble());
      }
    }
    if (resolved.isEmpty()) {
      throw new IllegalArgumentException("--from: " + dir + " has no finished case");
    }
    return new EarlierRun(dir, resolved, bill);
  }
}
