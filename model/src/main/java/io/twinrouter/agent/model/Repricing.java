package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.UsageFormat;
import java.util.function.ToDoubleFunction;

/**
 * A finished run's bill at other prices ({@code live score --reprice POOL}): each trace step row's
 * {@code raw_usage}, the provider's usage object as received, is read again into the four buckets
 * in the shape the pool file names for its model and priced at that pool's rates, by the same
 * formula the run used. Nothing is called; a row whose model the pool lacks, or which kept no raw
 * usage, is refused rather than priced at zero.
 */
public final class Repricing implements ToDoubleFunction<JsonNode> {
  private final ModelPool pool;

  public Repricing(ModelPool pool) {
    this.pool = pool;
  }

  /** @throws IllegalArgumentException naming the model or the missing field */
  @Override
  public double applyAsDouble(JsonNode stepRow) {
    String modelId = stepRow.path("model_id").asText();
    PoolModel model = pool.byId(modelId).orElseThrow(() -> new IllegalArgumentException(
        "model_id '" + modelId + "' is not in the repricing pool (models: "
            + String.join(", ", pool.modelIds()) + ")"));
    JsonNode raw = stepRow.get("raw_usage");
    if (raw == null || !raw.isObject()) {
      throw new IllegalArgumentException("step row has no raw_usage object to reprice");
    }
    UsageFormat format = WireCodec.of(model.request().api()).usageFormat(model.usageFormat());
    try {
      return UsageNormalizer.normalize(format, raw).costUsd(model.rates());
    } catch (UsageException e) {
      throw new IllegalArgumentException("raw_usage does not read as " + format.label() + ": "
          + e.getMessage(), e);
    }
  }
}
