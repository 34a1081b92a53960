package io.twinrouter.scoring.statictrack;

import io.twinrouter.config.Tier;
import java.nio.charset.StandardCharsets;

/**
 * The commonest line, {@code {"id": "...", "tier": "..."}} or with {@code "error"}, read from
 * ASCII bytes without a JSON parser (a parser per line cost more than the scoring itself).
 * Accepts only what {@link PredictionTokenReader} accepts with the same result: keys and values without
 * escapes or control characters, JSON white space, {@code id} and exactly one of {@code tier}
 * (an exact wire name) or {@code error}, each once, nothing after the object. Everything else
 * returns false and goes the parser's way, so every error is reported as before.
 */
final class PlainPredictionLine {
  String id;
  Prediction prediction;
  private int pos;

  boolean read(byte[] b, int from, int to) {
    id = null;
    prediction = null;
    pos = from;
    String tier = null;
    String error = null;
    if (!skipSpace(b, to) || b[pos++] != '{') {
      return false;
    }
    while (true) {
      String key = string(b, to);
      if (key == null || !skipSpace(b, to) || b[pos++] != ':') {
        return false;
      }
      String value = string(b, to);
      if (value == null) {
        return false;
      }
      switch (key) {
        case "id" -> {
          if (id != null) {
            return false;
          }
          id = value;
        }
        case "tier" -> {
          if (tier != null) {
            return false;
          }
          tier = value;
        }
        case "error" -> {
          if (error != null) {
            return false;
          }
          error = value;
        }
        default -> {
          return false;
        }
      }
      if (!skipSpace(b, to)) {
        return false;
      }
      byte c = b[pos++];
      if (c == '}') {
        break;
      }
      if (c != ',') {
        return false;
      }
    }
    if (skipSpace(b, to) || id == null || (tier == null) == (error == null)) {
      return false; // something after the object, or not exactly one answer
    }
    if (error != null) {
      prediction = Prediction.error(error);
      return true;
    }
    Tier named = PredictionTokenReader.byWireName(tier);
    if (named == null) {
      return false;
    }
    prediction = Prediction.tier(named);
    return true;
  }

  /** Skips JSON white space; false at the end of the line. */
  private boolean skipSpace(byte[] b, int to) {
    while (pos < to && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r')) {
      pos++;
    }
    return pos < to;
  }

  /** A string without escapes or control characters, or null. */
  private String string(byte[] b, int to) {
    if (!skipSpace(b, to) || b[pos] != '"') {
      return null;
    }
    int start = ++pos;
    while (pos < to) {
      byte c = b[pos];
      if (c == '"') {
        String s = new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
        pos++;
        return s;
      }
      if (c == '\\' || c < 0x20) {
        return null;
      }
      pos++;
    }
    return null;
  }
}
