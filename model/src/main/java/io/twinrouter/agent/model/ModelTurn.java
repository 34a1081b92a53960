package io.twinrouter.agent.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A successful model call: the assistant message and everything the trace row needs.
 *
 * @param modelId the pool model id that answered
 * @param provider the usage format the buckets were normalised with ({@code openrouter}, {@code
 *     deepseek}...; under {@code auto}, the format recognised)
 * @param message {@code choices[0].message} verbatim (role, content, tool_calls...)
 * @param content the message text, empty when the provider sent none
 * @param toolCalls the message's tool calls in order, empty when none
 * @param finishReason {@code choices[0].finish_reason}, empty when absent
 * @param costUsd the locally priced cost (four buckets x the pool model's locked rates)
 * @param startedAt Unix seconds when the first attempt started
 * @param finishedAt Unix seconds when the answer was received
 * @param latencyMs wall time of the whole call, retries and waits for the endpoint limit included
 * @param retries the failed attempts before this answer (empty on a first-attempt success)
 * @param rawResponse the whole response body
 * @param ledger the requested and served model and the paid responses that could not be used
 *     ({@link CallLedger#NONE} when no provider was asked)
 * @param otherCalls the step's other upstream calls when a routing proxy answered it (its
 *     classifier's call, a cascade's earlier tries), each metered by the gateway and billed with
 *     this one; empty for a direct call (and in journals written before proxies)
 */
public record ModelTurn(
    String modelId,
    String provider,
    ObjectNode message,
    String content,
    List<ToolCall> toolCalls,
    String finishReason,
    Usage usage,
    double costUsd,
    double startedAt,
    double finishedAt,
    long latencyMs,
    List<RetryRecord> retries,
    ObjectNode rawResponse,
    CallLedger ledger,
    List<ModelTurn> otherCalls)
    implements ModelOutcome {

  @JsonCreator
  public ModelTurn {
    toolCalls = List.copyOf(toolCalls);
    retries = List.copyOf(retries);
    // a turn journalled before the ledger existed has none
    ledger = ledger == null ? CallLedger.NONE : ledger;
    otherCalls = otherCalls == null ? List.of() : List.copyOf(otherCalls);
  }

  /** A direct call without ledger facts (scripted models, replays of older journals). */
  public ModelTurn(String modelId, String provider, ObjectNode message, String content,
      List<ToolCall> toolCalls, String finishReason, Usage usage, double costUsd,
      double startedAt, double finishedAt, long latencyMs, List<RetryRecord> retries,
      ObjectNode rawResponse) {
    this(modelId, provider, message, content, toolCalls, finishReason, usage, costUsd, startedAt,
        finishedAt, latencyMs, retries, rawResponse, CallLedger.NONE, List.of());
  }

  /** A direct call: the model answered the agent itself. */
  public ModelTurn(String modelId, String provider, ObjectNode message, String content,
      List<ToolCall> toolCalls, String finishReason, Usage usage, double costUsd,
      double startedAt, double finishedAt, long latencyMs, List<RetryRecord> retries,
      ObjectNode rawResponse, CallLedger ledger) {
    this(modelId, provider, message, content, toolCalls, finishReason, usage, costUsd, startedAt,
        finishedAt, latencyMs, retries, rawResponse, ledger, List.of());
  }

  /** This answer as a proxied step, the step's other metered calls attached. */
  public ModelTurn withOtherCalls(List<ModelTurn> others) {
    return new ModelTurn(modelId, provider, message, content, toolCalls, finishReason, usage,
        costUsd, startedAt, finishedAt, latencyMs, retries, rawResponse, ledger, others);
  }
}
