package io.twinrouter.scoring.statictrack;

import io.twinrouter.config.Tier;

/** A router's answer for one row: a tier, or the text of its failure (an error row). */
public sealed interface Prediction {

  record Routed(Tier tier) implements Prediction {}

  record Failed(String error) implements Prediction {}

  static Prediction tier(Tier tier) {
    return new Routed(tier);
  }

  static Prediction error(String text) {
    return new Failed(text);
  }
}
