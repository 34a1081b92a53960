package io.twinrouter.agent.records;

import io.twinrouter.agent.loop.Action;
import io.twinrouter.agent.loop.StepRecord;
import io.twinrouter.agent.model.CallLedger;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.UnusableResponse;
import io.twinrouter.agent.model.Usage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code <id>.trace.jsonl} (live-track spec 4.6.2): one row per priced model call and a
 * final {@code loop_summary} row. The file is truncated when the case starts; a case resumed from
 * its journal then rewrites the rows of its replayed steps, so each step appears once. Each row is flushed
 * as written, so the spend of a case that dies midway is still on disk. Besides the reference's
 * fields, each step row carries {@code tier}, {@code router_decision_ms}, {@code retries} and
 * {@code cache_hit}, and a step that fell back after a failed router call {@code router_fallback}
 * and {@code router_error}.
 */
public final class TraceWriter implements AutoCloseable {

  static final int TAIL_PREVIEW = 500;
  static final int ARGS_PREVIEW = 240;
  static final int CONTENT_PREVIEW = 300;

  /** The field that marks a step whose router call failed and fell back to a tier. */
  public static final String ROUTER_FALLBACK = "router_fallback";

  private final BufferedWriter out;

  public TraceWriter(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open trace " + file + ": " + e.getMessage(), e);
    }
  }

  public void step(StepRecord r) {
    write(stepRow(r));
  }

  /**
   * @param unusable paid answers after the last priced step that the loop could not use (format
   *     errors that ended the case); listed in the row when there are any
   */
  public void loopSummary(String instanceId, int stepCount, String finishedBy, double totalCostUsd,
      Map<String, Integer> modelDistribution, List<UnusableResponse> unusable) {
    Map<String, Object> row =
        summaryRow(instanceId, stepCount, finishedBy, totalCostUsd, modelDistribution);
    if (!unusable.isEmpty()) {
      row.put("unusable_responses", unusableRows(unusable));
    }
    write(row);
  }

  /**
   * A row saying the case's journalled history was discarded (a replayed command diverged) and
   * the case started again from step 0. Scorers skip {@code __marker__} rows.
   */
  public void historyDiscarded(String instanceId, String reason) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("__marker__", "history_discarded");
    row.put("instance_id", instanceId);
    row.put("reason", reason);
    write(row);
  }

  static Map<String, Object> stepRow(StepRecord r) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("instance_id", r.instanceId());
    row.put("step_index", r.stepIndex());
    row.put("started_at", r.startedAt());
    row.put("finished_at", r.finishedAt());
    row.put("model_id", r.modelId());
    row.put("provider", r.provider());
    row.put("rationale", r.rationale());
    row.put("latency_ms", r.latencyMs());
    row.put("prompt_messages_count", r.promptMessagesCount());
    row.put("prompt_tail_role", r.promptTailRole());
    row.put("prompt_tail_preview", preview(r.promptTailContent(), TAIL_PREVIEW));
    row.put("usage", r.usage().bucketsJson());
    row.put("raw_usage", r.usage().raw());
    row.put("cache_lookup", r.cacheLookup().toJson());
    row.put("step_cost_usd", r.stepCostUsd());
    row.put("cumulative_cost_usd", r.cumulativeCostUsd());
    row.put("assistant_content_len", r.assistantContent().length());
    row.put("tool_call_count", r.actions().size());
    List<Map<String, Object>> calls = new ArrayList<>();
    for (Action a : r.actions()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("tool_name", "bash");
      String args = a.rawArguments() == null ? "" : a.rawArguments();
      c.put("args_preview", preview(args, ARGS_PREVIEW));
      c.put("args_truncated", args.length() > ARGS_PREVIEW);
      calls.add(c);
    }
    row.put("tool_calls_preview", calls);
    row.put("assistant_content_preview", preview(r.assistantContent(), CONTENT_PREVIEW));
    row.put("tier", r.tier().wireName());
    row.put("router_decision_ms", r.routerDecisionMs());
    row.put("retries", r.retries());
    row.put("cache_hit", r.cacheLookup().hit());
    if (r.routerError() != null) {
      // the router failed and --on-router-error sent the step to a tier: counted in score.json
      row.put(ROUTER_FALLBACK, true);
      row.put("router_error", r.routerError());
    }
    // twinrouter's ledger fields, written only when the provider reports them
    if (r.usage().reasoningTokens() != null) {
      row.put("reasoning_tokens", r.usage().reasoningTokens());
    }
    if (r.usage().billedCostUsd() != null) {
      row.put("billed_cost_usd", r.usage().billedCostUsd());
    }
    if (r.usage().cacheWrite1hTokens() > 0) {
      row.put("cache_write_1h_tokens", r.usage().cacheWrite1hTokens());
    }
    CallLedger ledger = r.ledger();
    if (ledger.requestedModel() != null) {
      row.put("requested_model", ledger.requestedModel());
      row.put("served_model", ledger.servedModel());
      row.put("served_model_mismatch", ledger.servedModelMismatch());
    }
    if (ledger.servedProvider() != null) {
      row.put("served_provider", ledger.servedProvider());
    }
    if (!ledger.unusable().isEmpty()) {
      row.put("unusable_responses", unusableRows(ledger.unusable()));
    }
    if (!r.otherCalls().isEmpty()) {
      row.put("upstream_calls", upstreamCalls(r));
    }
    return row;
  }

  private static List<Map<String, Object>> unusableRows(List<UnusableResponse> unusable) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (UnusableResponse u : unusable) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model_id", u.modelId());
      m.put("cause", u.cause());
      m.put("usage", u.usage() == null ? null : u.usage().bucketsJson());
      m.put("raw_usage", u.usage() == null ? null : u.usage().raw());
      m.put("cost_usd", u.costUsd());
      out.add(m);
    }
    return out;
  }

  /**
   * A step a routing proxy answered after several upstream calls: each call the gateway metered,
   * the step's own (answering) call last; their costs sum to {@code step_cost_usd}.
   */
  private static List<Map<String, Object>> upstreamCalls(StepRecord r) {
    List<Map<String, Object>> calls = new ArrayList<>();
    for (ModelTurn other : r.otherCalls()) {
      calls.add(upstreamCall(other.modelId(), other.usage(), other.costUsd(), other.latencyMs(),
          false));
    }
    double others = r.otherCalls().stream().mapToDouble(ModelTurn::costUsd).sum();
    calls.add(upstreamCall(r.modelId(), r.usage(), r.stepCostUsd() - others, r.latencyMs(),
        true));
    return calls;
  }

  private static Map<String, Object> upstreamCall(String modelId, Usage usage, double costUsd,
      long latencyMs, boolean answered) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("model_id", modelId);
    c.put("usage", usage.bucketsJson());
    c.put("cost_usd", costUsd);
    c.put("latency_ms", latencyMs);
    c.put("answered", answered);
    return c;
  }

  static Map<String, Object> summaryRow(String instanceId, int stepCount, String finishedBy,
      double totalCostUsd, Map<String, Integer> modelDistribution) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("__marker__", "loop_summary");
    row.put("instance_id", instanceId);
    row.put("step_count", stepCount);
    row.put("finished_by", finishedBy);
    row.put("total_router_cost_usd", totalCostUsd);
    row.put("error", null);
    row.put("model_distribution", new LinkedHashMap<>(modelDistribution));
    return row;
  }

  private static String preview(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max);
  }

  private void write(Map<String, Object> row) {
    try {
      out.write(RecordJson.line(row));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to trace: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
