package io.twinrouter.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A locked pool of models, in the order routers see them ({@code available_models}). */
public record ModelPool(List<PoolModel> models) {

  public ModelPool {
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("a model pool needs at least one model");
    }
  }

  public List<String> modelIds() {
    return models.stream().map(PoolModel::modelId).toList();
  }

  public Optional<PoolModel> byId(String modelId) {
    return models.stream().filter(m -> m.modelId().equals(modelId)).findFirst();
  }

  /** The first model of a tier in pool order; the tier-to-model map of the reference. */
  public Optional<PoolModel> forTier(Tier tier) {
    return models.stream().filter(m -> m.tier() == tier).findFirst();
  }

  public List<PoolModel> allOfTier(Tier tier) {
    return models.stream().filter(m -> m.tier() == tier).toList();
  }

  /** The model whose spend a failed case is re-billed against (the strongest tier by default). */
  public PoolModel highBaseline() {
    return models.stream()
        .filter(PoolModel::highBaseline)
        .findFirst()
        .orElseGet(() -> forTier(Tier.HIGH).orElse(models.get(0)));
  }

  public ModelPool withBaseUrl(String url) {
    return new ModelPool(models.stream().map(m -> m.withBaseUrl(url)).toList());
  }

  /** Reads a pool from a HOCON list under {@code models}; errors name the entry and field. */
  public static ModelPool from(Config pool) {
    List<PoolModel> out = new ArrayList<>();
    List<? extends Config> entries = pool.getConfigList("models");
    for (int i = 0; i < entries.size(); i++) {
      Config m = entries.get(i);
      String where = "models[" + i + "]";
      try {
        String id = m.getString("model-id");
        out.add(
            new PoolModel(
                id,
                Tier.fromName(m.getString("tier")),
                Rates.from(m.getConfig("rates")),
                m.hasPath("base-url") ? m.getString("base-url") : "",
                m.hasPath("api-model") ? m.getString("api-model") : id,
                m.hasPath("api-key-env") ? m.getString("api-key-env") : "",
                m.hasPath("high-baseline") && m.getBoolean("high-baseline"),
                m.hasPath("cache-control-style") ? m.getString("cache-control-style") : "",
                m.hasPath("usage-format")
                    ? UsageFormat.fromLabel(m.getString("usage-format"))
                    : UsageFormat.AUTO,
                RequestShape.from(m)));
      } catch (RuntimeException e) {
        throw new SettingsException(where + ": " + e.getMessage(), e);
      }
    }
    return new ModelPool(out);
  }
}
