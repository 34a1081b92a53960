package io.twinrouter.scoring.statictrack;

import io.twinrouter.config.Tier;

/** A router's answer for one row: a tier, or the text of its failure (an error row). */
public sealed interface Prediction {

  /**
   * @param rationale the router's free text for this answer, or null; copied into prediction
   *     files, never scored
   */
  record Routed(Tier tier, String rationale) implements Prediction {}

  record Failed(String error) implements Prediction {}

  static Prediction tier(Tier tier) {
    return new Routed(tier, null);
  }

  static Prediction routed(Tier tier, String rationale) {
    return new Routed(tier, rationale);
  }

  static Prediction error(String text) {
    return new Failed(text);
  }
}
