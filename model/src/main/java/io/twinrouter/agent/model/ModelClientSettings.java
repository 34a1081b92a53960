package io.twinrouter.agent.model;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.twinrouter.config.SettingsException;
import io.twinrouter.config.UsageFormat;
import java.time.Duration;

/**
 * {@code twinrouter.model-client} of the HOCON configuration (see reference.conf).
 *
 * @param defaultUsageFormat the usage shape of pool models whose {@code usage-format} is {@code
 *     auto}: {@code auto} itself unless a configuration still sets the former run-wide {@code
 *     usage-provider}, which is read as this fallback so older configurations keep their bills
 */
public record ModelClientSettings(
    int maxConcurrentPerEndpoint,
    Duration requestTimeout,
    int maxRetries,
    Duration backoffBase,
    Duration backoffMax,
    UsageFormat defaultUsageFormat) {

  public ModelClientSettings {
    if (maxConcurrentPerEndpoint < 1) {
      throw new SettingsException("twinrouter.model-client.max-concurrent-per-endpoint must be >= 1");
    }
    if (maxRetries < 0) {
      throw new SettingsException("twinrouter.model-client.max-retries must be >= 0");
    }
  }

  /** Reads {@code twinrouter.model-client} from a root configuration. */
  public static ModelClientSettings from(Config root) {
    try {
      Config c = root.getConfig("twinrouter.model-client");
      return new ModelClientSettings(
          c.getInt("max-concurrent-per-endpoint"),
          c.getDuration("request-timeout"),
          c.getInt("max-retries"),
          c.getDuration("backoff-base"),
          c.getDuration("backoff-max"),
          c.hasPath("usage-provider")
              ? UsageFormat.fromLabel(c.getString("usage-provider"))
              : UsageFormat.AUTO);
    } catch (ConfigException | IllegalArgumentException e) {
      throw new SettingsException("configuration: " + e.getMessage(), e);
    }
  }

  public ModelClientSettings withRetries(int retries, Duration base, Duration max) {
    return new ModelClientSettings(
        maxConcurrentPerEndpoint, requestTimeout, retries, base, max, defaultUsageFormat);
  }

  public ModelClientSettings withRequestTimeout(Duration timeout) {
    return new ModelClientSettings(
        maxConcurrentPerEndpoint, timeout, maxRetries, backoffBase, backoffMax, defaultUsageFormat);
  }

  public ModelClientSettings withMaxConcurrentPerEndpoint(int n) {
    return new ModelClientSettings(
        n, requestTimeout, maxRetries, backoffBase, backoffMax, defaultUsageFormat);
  }
}
