package io.twinrouter.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The router timing a command line asked for ({@code --router-timeout}, {@code
 * --on-router-error}), to lay over the settings where cases run: this JVM, or every node of a
 * cluster (it travels in the run). Plain fields, so it crosses nodes as JSON.
 *
 * @param timeoutMs {@code twinrouter.live.select-timeout} in milliseconds, or null to keep it
 * @param onRouterError {@code twinrouter.live.on-router-error} ({@code end}, {@code tier:NAME}),
 *     or null to keep it
 */
public record RouterTiming(Long timeoutMs, String onRouterError) {

  public static final RouterTiming NONE = new RouterTiming(null, null);

  /** Checks both values; the message of an {@link IllegalArgumentException} says what is wrong. */
  public RouterTiming {
    if (timeoutMs != null && timeoutMs < 1) {
      throw new IllegalArgumentException("the router timeout must be at least 1 ms, got "
          + timeoutMs + " ms");
    }
    if (onRouterError != null) {
      onRouterError = RouterErrorPolicy.parse(onRouterError).wireName();
    }
  }

  @JsonIgnore
  public boolean isNone() {
    return timeoutMs == null && onRouterError == null;
  }

  /** {@code settings} with the values given in place of the configured ones. */
  public TwinrouterSettings applyTo(TwinrouterSettings settings) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (timeoutMs != null) {
      overrides.put("twinrouter.live.select-timeout", timeoutMs + "ms");
    }
    if (onRouterError != null) {
      overrides.put("twinrouter.live.on-router-error", onRouterError);
    }
    if (overrides.isEmpty()) {
      return settings;
    }
    return TwinrouterSettings.from(
        ConfigFactory.parseMap(overrides, "router timing").withFallback(settings.raw()));
  }
}
