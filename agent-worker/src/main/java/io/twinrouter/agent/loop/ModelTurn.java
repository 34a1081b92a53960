package io.twinrouter.agent.loop;

import io.twinrouter.agent.model.Usage;
import java.util.List;
import java.util.Map;

/**
 * One answered model call.
 *
 * @param message the assistant message as the provider returned it ({@code role}, {@code
 *     content}, {@code tool_calls} in OpenAI shape)
 * @param usage the four buckets normalised from the provider's usage, with its usage object
 *     verbatim; null when the provider sent none (the call then cannot be priced)
 * @param response the whole provider response body, kept in the trajectory
 * @param startedAt Unix seconds when the request was sent
 * @param finishedAt Unix seconds when the answer arrived
 * @param retries transport retries before this answer (0 when the first attempt succeeded)
 */
public record ModelTurn(
    Map<String, Object> message,
    Usage usage,
    Map<String, Object> response,
    double startedAt,
    double finishedAt,
    int retries) {

  public long latencyMs() {
    return Math.round((finishedAt - startedAt) * 1000.0);
  }

  public String content() {
    Object c = message.get("content");
    return c == null ? "" : c instanceof String s ? s : String.valueOf(c);
  }

  /** The tool calls of the message; empty when there are none. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> toolCalls() {
    Object calls = message.get("tool_calls");
    return calls instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }
}
