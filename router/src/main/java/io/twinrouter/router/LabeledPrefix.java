package io.twinrouter.router;

import io.twinrouter.config.Tier;
import java.util.Objects;

/**
 * A static-bank prefix with its gold tier, for the routers that may see labels: {@code oracle}
 * and the kNN routers (upper bounds or cross-validated baselines, labelled so in outputs).
 *
 * @param text the prefix's message text ({@link MessageText#of})
 */
public record LabeledPrefix(
    String rowId, String benchmark, String instanceId, int stepIndex, String text, Tier gold) {

  public LabeledPrefix {
    Objects.requireNonNull(gold, "gold");
    text = text == null ? "" : text;
  }

  public static LabeledPrefix of(StaticRowView row, Tier gold) {
    return new LabeledPrefix(
        row.rowId(),
        row.benchmark(),
        row.instanceId(),
        row.stepIndex(),
        MessageText.of(row.messages()),
        gold);
  }
}
