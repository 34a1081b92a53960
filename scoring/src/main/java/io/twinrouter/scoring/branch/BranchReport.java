package io.twinrouter.scoring.branch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.common.Json;
import io.twinrouter.config.Tier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a set of counterfactual branches of one source run tells: per branch (case, step, choice)
 * its outcome; per case the earliest step at which another choice changes the outcome, the
 * downgrades that break a resolved case and the one-step upgrades that rescue a failed one; per
 * the source's router its per-step regret and its fatal choices. Pure arithmetic over the rows
 * the branches' files give.
 *
 * <p>An unresolved trajectory counts its cost plus the failure penalty ({@code effective cost}),
 * as the live track's score does; the regret at a step is the router's effective cost minus the
 * cheapest effective cost any branch at that step (or the source itself) reached. Void branches
 * (their replay diverged) decide nothing: they are listed with their divergence, nothing else.
 */
public final class BranchReport {

  /** One step of the source trajectory: the model the router chose and what it cost. */
  public record SourceStep(int step, String modelId, Tier tier, double costUsd) {}

  /** A case of the source run: its trajectory and how it ended. */
  public record SourceCase(String caseId, boolean resolved, double costUsd,
      List<SourceStep> steps) {

    double paidBefore(int step) {
      return steps.stream().filter(s -> s.step() < step).mapToDouble(SourceStep::costUsd).sum();
    }
  }

  /**
   * How one branch ended.
   *
   * @param choice the choice as given (a tier or a model id); {@code tier} the chosen model's
   * @param costUsd the whole trajectory's bill: the replayed steps' (paid by the source) and the
   *     branch's own
   * @param steps the branch trajectory's model calls, replayed ones included
   * @param voidReason why the branch is void (its replay diverged), or null; {@code voidStep},
   *     {@code exitCode} and {@code recordedExitCode} say where and how, when a command diverged
   */
  public record Branch(String caseId, int at, String choice, String modelId, Tier tier,
      boolean resolved, double costUsd, int steps, String voidReason, Integer voidStep,
      Integer exitCode, Integer recordedExitCode) {

    boolean isVoid() {
      return voidReason != null;
    }
  }

  private final String runId;
  private final String router;
  private final double penaltyUsd;
  private final Map<String, SourceCase> cases = new TreeMap<>();
  private final List<Branch> branches;

  public BranchReport(String runId, String router, double failurePenaltyUsd,
      List<SourceCase> sources, List<Branch> branches) {
    this.runId = runId;
    this.router = router;
    this.penaltyUsd = failurePenaltyUsd;
    sources.forEach(s -> cases.put(s.caseId(), s));
    this.branches = branches.stream().sorted(Comparator.comparing(Branch::caseId)
        .thenComparingInt(Branch::at).thenComparing(Branch::choice)).toList();
  }

  /** {@code upgrade}, {@code downgrade} or {@code same}: the choice against the source's tier. */
  public String direction(Branch b) {
    Tier source = sourceTier(b);
    int c = Integer.compare(b.tier().id(), source.id());
    return c > 0 ? "upgrade" : c < 0 ? "downgrade" : "same";
  }

  private Tier sourceTier(Branch b) {
    return cases.get(b.caseId()).steps().get(b.at()).tier();
  }

  private double effective(boolean resolved, double costUsd) {
    return costUsd + (resolved ? 0 : penaltyUsd);
  }

  /** The branches of a case that decided something (not void). */
  private List<Branch> decided(String caseId) {
    return branches.stream().filter(b -> b.caseId().equals(caseId) && !b.isVoid()).toList();
  }

  /** The branches whose outcome differs from the source's. */
  public List<Branch> changes(String caseId) {
    boolean resolved = cases.get(caseId).resolved();
    return decided(caseId).stream().filter(b -> b.resolved() != resolved).toList();
  }

  /** The earliest step at which another choice changes the case's outcome. */
  public Optional<Integer> earliestChangingStep(String caseId) {
    return changes(caseId).stream().map(Branch::at).min(Integer::compare);
  }

  /** Downgrades of one step that break a resolved case. */
  public List<Branch> breakingDowngrades(String caseId) {
    return changes(caseId).stream().filter(b -> !b.resolved())
        .filter(b -> "downgrade".equals(direction(b))).toList();
  }

  /** Upgrades of one step that rescue a failed case: its failure was recoverable. */
  public List<Branch> rescuingUpgrades(String caseId) {
    return changes(caseId).stream().filter(Branch::resolved)
        .filter(b -> "upgrade".equals(direction(b))).toList();
  }

  /** The router's regret at step {@code at} of a case; empty when no branch decided there. */
  public Optional<Double> regretUsd(String caseId, int at) {
    SourceCase s = cases.get(caseId);
    double chosen = effective(s.resolved(), s.costUsd());
    List<Branch> here = decided(caseId).stream().filter(b -> b.at() == at).toList();
    if (here.isEmpty()) {
      return Optional.empty();
    }
    double best = here.stream().mapToDouble(b -> effective(b.resolved(), b.costUsd()))
        .min().orElseThrow();
    return Optional.of(Math.max(0, chosen - best));
  }

  public ObjectNode toJson() {
    ObjectNode j = Json.MAPPER.createObjectNode();
    j.put("source_run_id", runId);
    j.put("router", router);
    j.put("failure_penalty_usd", penaltyUsd);
    ArrayNode rows = j.putArray("branches");
    for (Branch b : branches) {
      SourceCase s = cases.get(b.caseId());
      ObjectNode r = rows.addObject().put("instance_id", b.caseId()).put("step", b.at())
          .put("choice", b.choice()).put("model_id", b.modelId()).put("tier", b.tier().wireName())
          .put("source_tier", sourceTier(b).wireName()).put("direction", direction(b))
          .put("void", b.isVoid());
      if (b.isVoid()) {
        r.put("void_reason", b.voidReason());
        r.put("diverged_at_step", b.voidStep()).put("exit_code", b.exitCode())
            .put("recorded_exit_code", b.recordedExitCode());
        continue;
      }
      r.put("resolved", b.resolved()).put("cost_usd", b.costUsd())
          .put("new_spend_usd", Math.max(0, b.costUsd() - s.paidBefore(b.at())))
          .put("steps_to_end", b.steps() - b.at())
          .put("outcome_changed", b.resolved() != s.resolved());
    }
    ArrayNode perCase = j.putArray("cases");
    ArrayNode regret = Json.MAPPER.createArrayNode();
    ArrayNode fatal = Json.MAPPER.createArrayNode();
    double totalRegret = 0;
    for (SourceCase s : cases.values()) {
      ObjectNode c = perCase.addObject().put("instance_id", s.caseId())
          .put("source_resolved", s.resolved()).put("source_cost_usd", s.costUsd())
          .put("source_steps", s.steps().size());
      c.put("earliest_changing_step", earliestChangingStep(s.caseId()).orElse(null));
      c.set("breaking_downgrades", refs(breakingDowngrades(s.caseId())));
      c.set("rescuing_upgrades", refs(rescuingUpgrades(s.caseId())));
      c.put("recoverable_by_one_upgrade", !s.resolved() && !rescuingUpgrades(s.caseId()).isEmpty());
      for (SourceStep step : s.steps()) {
        Optional<Double> r = regretUsd(s.caseId(), step.step());
        if (r.isPresent()) {
          totalRegret += r.get();
          regret.addObject().put("instance_id", s.caseId()).put("step", step.step())
              .put("chose", step.tier().wireName()).put("regret_usd", r.get());
        }
      }
      for (Branch b : rescuingUpgrades(s.caseId())) {
        fatal.addObject().put("instance_id", s.caseId()).put("step", b.at())
            .put("chose", sourceTier(b).wireName()).put("rescued_by", b.tier().wireName());
      }
    }
    ObjectNode r = j.putObject("router_view").put("router", router)
        .put("steps_with_branches", regret.size()).put("total_regret_usd", totalRegret)
        .put("mean_regret_usd", regret.isEmpty() ? 0 : totalRegret / regret.size());
    r.set("per_step_regret", regret);
    r.set("fatal_downgrades", fatal);
    return j;
  }

  private ArrayNode refs(List<Branch> list) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    list.forEach(b -> a.addObject().put("step", b.at()).put("choice", b.choice())
        .put("from", sourceTier(b).wireName()).put("to", b.tier().wireName()));
    return a;
  }

  /** The report as text: per case its branches and verdicts, then the router's view. */
  public String toText() {
    StringBuilder t = new StringBuilder();
    long voids = branches.stream().filter(Branch::isVoid).count();
    t.append(String.format(Locale.ROOT, "branches of %s (router %s): %d branch(es), %d void%n",
        runId, router, branches.size(), voids));
    for (SourceCase s : cases.values()) {
      t.append(String.format(Locale.ROOT, "%n%s: source %s, $%.6f, %d steps%n", s.caseId(),
          s.resolved() ? "resolved" : "failed", s.costUsd(), s.steps().size()));
      for (Branch b : branches.stream().filter(b -> b.caseId().equals(s.caseId())).toList()) {
        String to = b.choice().equals(b.tier().wireName()) ? b.choice()
            : b.tier().wireName() + " (" + b.choice() + ")";
        t.append(String.format(Locale.ROOT, "  step %-3d %s -> %-8s ", b.at(),
            sourceTier(b).wireName(), to));
        if (b.isVoid()) {
          t.append("VOID: ").append(b.voidReason()).append('\n');
          continue;
        }
        t.append(String.format(Locale.ROOT, "%s, $%.6f, %d steps to the end%s%n",
            b.resolved() ? "resolved" : "failed", b.costUsd(), b.steps() - b.at(), verdict(b, s)));
      }
      Optional<Integer> earliest = earliestChangingStep(s.caseId());
      t.append("  earliest step where another choice changes the outcome: ")
          .append(earliest.map(String::valueOf).orElse("none")).append('\n');
      if (!s.resolved()) {
        List<Branch> rescues = rescuingUpgrades(s.caseId());
        t.append("  recoverable by upgrading one step: ").append(rescues.isEmpty() ? "no"
            : "yes (" + names(rescues) + ")").append('\n');
      }
    }
    JsonView view = new JsonView(toJson().path("router_view"));
    t.append(String.format(Locale.ROOT, "%nrouter %s: per-step regret $%.6f over %d step(s)"
        + " (mean $%.6f); fatal downgrades: %s%n", router, view.total(), view.steps(),
        view.mean(), view.fatal()));
    return t.toString();
  }

  private String verdict(Branch b, SourceCase s) {
    if (b.resolved() == s.resolved()) {
      return "";
    }
    String d = direction(b);
    return b.resolved() ? "  <- " + d + " rescues the case" : "  <- " + d + " breaks the case";
  }

  private static String names(List<Branch> list) {
    List<String> out = new ArrayList<>();
    list.forEach(b -> out.add("step " + b.at() + " to " + b.choice()));
    return String.join(", ", out);
  }

  /** The router view's figures, read back from its JSON so text and file never disagree. */
  private record JsonView(com.fasterxml.jackson.databind.JsonNode v) {
    double total() {
      return v.path("total_regret_usd").asDouble();
    }

    int steps() {
      return v.path("steps_with_branches").asInt();
    }

    double mean() {
      return v.path("mean_regret_usd").asDouble();
    }

    String fatal() {
      List<String> out = new ArrayList<>();
      v.path("fatal_downgrades").forEach(f -> out.add(f.path("instance_id").asText() + " step "
          + f.path("step").asInt() + " (chose " + f.path("chose").asText() + "; "
          + f.path("rescued_by").asText() + " resolves)"));
      return out.isEmpty() ? "none" : String.join(", ", out);
    }
  }
}
