package io.twinrouter.gateway;

import com.typesafe.config.Config;

/**
 * {@code twinrouter.gateway}: where the metering gateway listens and what a routing proxy is
 * asked for.
 *
 * @param port the 127.0.0.1 port; 0 for a free one
 * @param proxyModel the model name the proxy expects ({@code --proxy-model}); empty when unset
 * @param maxBodyBytes the largest request body accepted from a proxy
 */
public record GatewaySettings(int port, String proxyModel, int maxBodyBytes) {

  public GatewaySettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("twinrouter.gateway.port must be in 0..65535, got " + port);
    }
  }

  public static GatewaySettings from(Config root) {
    Config c = root.getConfig("twinrouter.gateway");
    return new GatewaySettings(c.getInt("port"), c.getString("proxy-model").strip(),
        (int) Math.min(Integer.MAX_VALUE, c.getBytes("max-body-bytes")));
  }
}
