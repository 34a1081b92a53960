package io.twinrouter.config;

import java.util.Optional;

/**
 * One model of a live pool: its id as the router names it, its tier, its locked prices, and where
 * to reach it over the OpenAI-compatible protocol. The API key is never stored here: only the
 * name of the environment variable that holds it.
 *
 * @param baseUrl OpenAI-compatible base URL ({@code POST {baseUrl}/chat/completions}); empty for
 *     the simulated pool, which is started on a free loopback port at run time
 * @param apiModel the model name sent in the request body (often the same as modelId)
 * @param apiKeyEnv name of the environment variable holding the key, or empty for none
 * @param usageFormat the shape of this model's {@code usage} object ({@code auto}: recognised
 *     per response)
 * @param request how its requests differ from the defaults (params, dropped params, headers,
 *     assistant fields not sent back)
 */
public record PoolModel(
    String modelId,
    Tier tier,
    Rates rates,
    String baseUrl,
    String apiModel,
    String apiKeyEnv,
    boolean highBaseline,
    String cacheControlStyle,
    UsageFormat usageFormat,
    RequestShape request) {

  public PoolModel {
    usageFormat = usageFormat == null ? UsageFormat.AUTO : usageFormat;
    request = request == null ? RequestShape.DEFAULT : request;
  }

  /** A model whose usage shape is recognised per response. */
  public PoolModel(String modelId, Tier tier, Rates rates, String baseUrl, String apiModel,
      String apiKeyEnv, boolean highBaseline, String cacheControlStyle) {
    this(modelId, tier, rates, baseUrl, apiModel, apiKeyEnv, highBaseline, cacheControlStyle,
        UsageFormat.AUTO, RequestShape.DEFAULT);
  }

  /** A model with the default request shape. */
  public PoolModel(String modelId, Tier tier, Rates rates, String baseUrl, String apiModel,
      String apiKeyEnv, boolean highBaseline, String cacheControlStyle, UsageFormat usageFormat) {
    this(modelId, tier, rates, baseUrl, apiModel, apiKeyEnv, highBaseline, cacheControlStyle,
        usageFormat, RequestShape.DEFAULT);
  }

  /** The key from the environment, if one is configured and set. Never log the result. */
  public Optional<String> apiKey() {
    if (apiKeyEnv == null || apiKeyEnv.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(System.getenv(apiKeyEnv)).filter(k -> !k.isEmpty());
  }

  public PoolModel withBaseUrl(String url) {
    return new PoolModel(
        modelId, tier, rates, url, apiModel, apiKeyEnv, highBaseline, cacheControlStyle,
        usageFormat, request);
  }
}
