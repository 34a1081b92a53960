package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.twinrouter.config.Tier;
import java.io.IOException;

/**
 * Reads one line by token, accepting only what the tree rules accept unchanged: an object with
 * a string id and exactly one well-formed tier, tier_id or error, each key at most once, nothing
 * after it. Anything else (bad JSON included) returns false, and the tree path decides.
 */
final class PredictionTokenReader {
  /** Longer lines go to the tree path: the parser's length limits apply only to read text. */
  private static final int MAX_LINE = 16 * 1024;
  private static final Tier[] TIERS = Tier.values();

  String id;
  Prediction prediction;

  boolean read(JsonParser p, int length) {
    try (p) {
      return length <= MAX_LINE && readObject(p);
    } catch (IOException e) {
      return false;
    }
  }

  private boolean readObject(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return false;
    }
    String tier = null;
    String error = null;
    int tierId = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "id" -> {
          if (id != null || value != JsonToken.VALUE_STRING) {
            return false;
          }
          id = p.getText();
        }
        case "tier" -> {
          if (tier != null || value != JsonToken.VALUE_STRING) {
            return false;
          }
          tier = p.getText();
        }
        case "error" -> {
          if (error != null || value != JsonToken.VALUE_STRING) {
            return false;
          }
          error = p.getText();
        }
        case "tier_id" -> {
          if (tierId >= 0 || value != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() != JsonParser.NumberType.INT
              || p.getIntValue() < 0 || p.getIntValue() > 3) {
            return false;
          }
          tierId = p.getIntValue();
        }
        default -> p.skipChildren();
      }
    }
    if (p.nextToken() != null || id == null) {
      return false;
    }
    int given = (tier != null ? 1 : 0) + (error != null ? 1 : 0) + (tierId >= 0 ? 1 : 0);
    if (given != 1) {
      return false;
    }
    if (error != null) {
      prediction = Prediction.error(error);
    } else if (tierId >= 0) {
      prediction = Prediction.tier(Tier.fromId(tierId));
    } else {
      Tier named = byWireName(tier);
      if (named == null) {
        return false;
      }
      prediction = Prediction.tier(named);
    }
    return true;
  }

  /** The exact wire names without {@link Tier#fromName}'s lower-casing; others go the tree way. */
  static Tier byWireName(String name) {
    for (Tier t : TIERS) {
      if (t.wireName().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
