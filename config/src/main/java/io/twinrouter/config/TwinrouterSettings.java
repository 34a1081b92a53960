package io.twinrouter.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

/**
 * All typed settings, read from the {@code twinrouter} section of the HOCON configuration
 * ({@code reference.conf} defaults, overridden by {@code application.conf} or system properties).
 */
public record TwinrouterSettings(
    StaticTrackSettings staticTrack, LiveTrackSettings liveTrack, ModelPool pool, Config raw) {

  public static TwinrouterSettings load() {
    return from(ConfigFactory.load());
  }

  public static TwinrouterSettings from(Config root) {
    try {
      Config c = root.getConfig("twinrouter");
      return new TwinrouterSettings(
          StaticTrackSettings.from(c.getConfig("static")),
          LiveTrackSettings.from(c.getConfig("live")),
          ModelPool.from(c.getConfig("pool")),
          root);
    } catch (ConfigException e) {
      throw new SettingsException("configuration: " + e.getMessage(), e);
    }
  }
}
