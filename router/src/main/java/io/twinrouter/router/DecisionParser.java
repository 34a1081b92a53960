package io.twinrouter.router;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.Tier;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns a router's JSON answer into a {@link RouterDecision}, or says exactly what is wrong with
 * it. An answer is an object with {@code model_id} (a pool model) or {@code tier} (a tier name,
 * resolved to the pool's first model of that tier), or both when they agree, and an optional
 * string {@code rationale}. Other fields are ignored.
 */
public final class DecisionParser {
  private DecisionParser() {}

  public static RouterDecision parse(byte[] body, RouterContext ctx) throws RouterException {
    String raw = new String(body, StandardCharsets.UTF_8);
    JsonNode answer;
    try {
      answer = RouterJson.mapper().readTree(body);
    } catch (JacksonException e) {
      throw malformed("the answer is not JSON (" + e.getOriginalMessage() + ")", raw);
    } catch (java.io.IOException e) {
      throw malformed("the answer cannot be read: " + e.getMessage(), raw);
    }
    if (answer == null || answer.isMissingNode() || !answer.isObject()) {
      throw malformed(
          "the answer must be a JSON object with model_id or tier, got "
              + (answer == null || answer.isMissingNode() ? "an empty body" : kind(answer)),
          raw);
    }
    return parse(answer, ctx, raw);
  }

  public static RouterDecision parse(JsonNode answer, RouterContext ctx, String raw)
      throws RouterException {
    String modelId = optionalString(answer, "model_id", raw);
    String tierName = optionalString(answer, "tier", raw);
    String rationale = optionalString(answer, "rationale", raw);
    if (modelId == null && tierName == null) {
      throw malformed("the answer has neither model_id nor tier", raw);
    }
    if (modelId != null && modelId.isEmpty()) {
      throw malformed("model_id is empty", raw);
    }
    Tier tier = null;
    if (tierName != null) {
      try {
        tier = Tier.fromName(tierName);
      } catch (IllegalArgumentException e) {
        throw new RouterException(RouterException.Kind.NOT_IN_POOL, e.getMessage(), raw, null);
      }
    }
    AvailableModel model;
    if (modelId != null) {
      model = modelInPool(ctx, modelId, raw);
      if (tier != null && model.tier() != tier) {
        throw malformed(
            "model_id '" + modelId + "' is of tier " + model.tier().wireName()
                + " but the answer says tier " + tier.wireName(),
            raw);
      }
    } else {
      Tier wanted = tier;
      Optional<AvailableModel> m = ctx.modelForTier(wanted);
      if (m.isEmpty()) {
        throw new RouterException(
            RouterException.Kind.NOT_IN_POOL,
            "no model of tier '" + wanted.wireName() + "' in the pool " + ctx.modelIds(),
            raw,
            null);
      }
      model = m.get();
    }
    return RouterDecision.of(model, rationale);
  }

  /** Checks a decision made in process against the pool of the context it answers. */
  public static RouterDecision validate(RouterDecision d, RouterContext ctx) throws RouterException {
    if (d == null) {
      throw new RouterException(RouterException.Kind.MALFORMED, "the router returned no decision");
    }
    AvailableModel m = modelInPool(ctx, d.modelId(), null);
    if (m.tier() != d.tier()) {
      throw new RouterException(
          RouterException.Kind.MALFORMED,
          "decision names model '" + d.modelId() + "' of tier " + m.tier().wireName()
              + " with tier " + d.tier().wireName());
    }
    return d;
  }

  private static AvailableModel modelInPool(RouterContext ctx, String modelId, String raw)
      throws RouterException {
    return ctx.model(modelId)
        .orElseThrow(
            () ->
                new RouterException(
                    RouterException.Kind.NOT_IN_POOL,
                    "model '" + modelId + "' is not in the pool " + ctx.modelIds(),
                    raw,
                    null));
  }

  private static String optionalString(JsonNode answer, String field, String raw)
      throws RouterException {
    JsonNode v = answer.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw malformed(field + " must be a string, got " + kind(v), raw);
    }
    return v.asText();
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case STRING -> "a string";
      case NULL -> "null";
      default -> n.getNodeType().toString().toLowerCase();
    };
  }

  private static RouterException malformed(String message, String raw) {
    return new RouterException(RouterException.Kind.MALFORMED, message, raw, null);
  }
}
