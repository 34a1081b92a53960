package io.twinrouter.router;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the router module needs of a static-track bank row. The gold tier is deliberately not
 * here: a router never sees it (the oracle gets it separately, through {@link LabeledPrefix}).
 *
 * @param messages the row's {@code messages} array
 * @param functions the row's {@code functions} array, or null when the row has none
 */
public record StaticRowView(
    String rowId,
    String benchmark,
    String instanceId,
    int stepIndex,
    int totalSteps,
    JsonNode messages,
    JsonNode functions) {

  public StaticRowView {
    if (messages == null || !messages.isArray()) {
      throw new IllegalArgumentException(
          "row " + rowId + ": messages must be a JSON array, got "
              + (messages == null ? "nothing" : messages.getNodeType().toString().toLowerCase()));
    }
  }

  /**
   * Reads the router-visible part of a bank row, with the scorer's defaults (static-track spec
   * 2.3): {@code instance_id} defaults to the row id, {@code step_index} and {@code total_steps}
   * to 1, {@code messages} to an empty list.
   */
  public static StaticRowView fromJson(JsonNode row) {
    String id = row.path("id").asText(null);
    JsonNode messages = row.has("messages") ? row.get("messages") : RouterJson.mapper().createArrayNode();
    return new StaticRowView(
        id,
        row.path("benchmark").asText(null),
        row.has("instance_id") ? row.get("instance_id").asText(null) : id,
        row.has("step_index") ? row.get("step_index").asInt() : 1,
        row.has("total_steps") ? row.get("total_steps").asInt() : 1,
        messages,
        row.get("functions"));
  }
}
