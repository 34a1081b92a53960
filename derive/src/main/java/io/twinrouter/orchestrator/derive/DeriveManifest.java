package io.twinrouter.orchestrator.derive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The manifest written beside a derived bank: the pool and its prices, the seed, the tasks, what
 * the derivation cost (trials and dollars) and, per task, the seed run and every trial with its
 * verdict, so each label can be traced to the runs that decided it.
 */
final class DeriveManifest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private DeriveManifest() {}

  static ObjectNode build(DeriveOptions options, ModelPool pool, String fingerprint,
      List<TaskSearch> searches, int rows, byte[] bank, int ran, int reused) {
    ObjectNode m = F.objectNode();
    m.put("format", "twinrouter-derive-manifest-v1");
    m.put("bank", options.out().toAbsolutePath().getFileName().toString());
    m.put("bank_sha256", sha256(bank));
    m.put("total_line_count", rows);
    m.put("protocol", "downgrade and cascade (TwinRouterBench section 4, Algorithm A1): seeds "
        + "resolved at high; every step locked at high; each step in order tries cheaper models "
        + "from low up to mid_high, earlier steps at their locks and later steps at high; the "
        + "first whose trajectory resolves in the seed's number of steps is locked");
    m.put("cascade_models_per_tier", TaskSearch.CASCADE);
    ArrayNode tried = m.putArray("models_tried_per_step");
    TaskSearch.cheaperModels(pool).forEach(p -> tried.add(p.modelId()));
    if (pool.models().size() == Tier.values().length) {
      m.put("cascade_note", "the pool has one model per tier, so the cascade tries one model "
          + "per tier");
    }
    m.put("tasks", options.tasks());
    ArrayNode selected = m.putArray("instance_ids");
    searches.forEach(s -> selected.add(s.instanceId()));
    m.put("seed", options.seed());
    m.put("sandbox", options.sandbox());
    ObjectNode p = m.putObject("pool");
    p.put("source", options.pool());
    p.put("fingerprint", fingerprint);
    ArrayNode models = p.putArray("models");
    for (PoolModel pm : pool.models()) {
      ObjectNode o = models.addObject();
      o.put("model_id", pm.modelId());
      o.put("tier", pm.tier().wireName());
      ObjectNode rates = o.putObject("rates_usd_per_mtok");
      rates.put("input", pm.rates().input());
      rates.put("cache_read", pm.rates().cacheRead());
      rates.put("cache_write", pm.rates().cacheWrite());
      rates.put("output", pm.rates().output());
    }
    int trials = 0;
    double cost = 0;
    ArrayNode perTask = m.putArray("per_task");
    ArrayNode kept = F.arrayNode();
    ArrayNode dropped = F.arrayNode();
    for (TaskSearch s : searches) {
      ObjectNode t = perTask.addObject();
      t.put("instance_id", s.instanceId());
      TrialOutcome seed = s.seed();
      t.set("seed_run", outcome(seed));
      trials++;
      cost += seed.costUsd();
      t.put("kept", s.kept());
      (s.kept() ? kept : dropped).add(s.instanceId());
      if (!s.kept()) {
        continue;
      }
      ArrayNode targets = t.putArray("target_tiers");
      s.targets().forEach(x -> targets.add(x.wireName()));
      ArrayNode plan = t.putArray("locked_models");
      s.lockedModels().forEach(plan::add);
      t.put("locked_trajectory_run", s.finalTrajectory().runDir());
      ArrayNode log = t.putArray("trials");
      for (TaskSearch.Trial tr : s.trials()) {
        ObjectNode o = log.addObject();
        o.put("step_index", tr.step() + 1);
        o.put("model_id", tr.modelId());
        o.put("tier", tr.tier().wireName());
        o.put("accepted", tr.accepted());
        o.setAll(outcome(tr.outcome()));
        trials++;
        cost += tr.outcome().costUsd();
      }
    }
    m.set("tasks_kept", kept);
    m.set("tasks_dropped", dropped);
    ObjectNode runs = m.putObject("runs");
    runs.put("trials", trials);
    runs.put("trials_run_by_last_invocation", ran);
    runs.put("trials_reused_by_last_invocation", reused);
    runs.put("api_cost_usd", cost);
    return m;
  }

  private static ObjectNode outcome(TrialOutcome o) {
    ObjectNode n = F.objectNode();
    n.put("resolved", o.resolved());
    n.put("steps", o.steps());
    n.put("finished_by", o.finishedBy());
    n.put("cost_usd", o.costUsd());
    n.put("run_dir", o.runDir());
    return n;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
