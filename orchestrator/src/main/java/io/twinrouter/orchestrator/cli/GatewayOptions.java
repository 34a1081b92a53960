package io.twinrouter.orchestrator.cli;

import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.gateway.ProxyRouter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --proxy-model} and {@code --gateway-port} of {@code live run} and {@code static route}:
 * the options of a {@code proxy:} router, over {@code twinrouter.gateway.*}.
 */
final class GatewayOptions {
  @Option(names = "--proxy-model", paramLabel = "NAME",
      description = "With --router proxy:URL: the model name the proxy expects in the agent's"
          + " requests (RouteLLM: router-mf-0.116; LiteLLM: a model_name of its config).")
  String proxyModel;

  @Option(names = "--gateway-port", paramLabel = "P",
      description = "With --router proxy:URL: the metering gateway's port on 127.0.0.1, the"
          + " proxy's upstream (default twinrouter.gateway.port; 0 = a free port, printed).")
  Integer gatewayPort;

  /** {@code settings} with the options in place of the configured; checks them for a proxy. */
  TwinrouterSettings apply(TwinrouterSettings settings, String router) {
    boolean proxy = ProxyRouter.isProxy(router);
    if (!proxy && (proxyModel != null || gatewayPort != null)) {
      throw new InputException("--proxy-model and --gateway-port go with --router proxy:URL");
    }
    if (!proxy) {
      return settings;
    }
    try {
      ProxyRouter.endpoint(router);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (proxyModel != null) {
      overrides.put("twinrouter.gateway.proxy-model", proxyModel);
    }
    if (gatewayPort != null) {
      if (gatewayPort < 0 || gatewayPort > 65535) {
        throw new InputException("--gateway-port must be within 0..65535, got " + gatewayPort);
      }
      overrides.put("twinrouter.gateway.port", gatewayPort);
    }
    TwinrouterSettings applied = overrides.isEmpty() ? settings : TwinrouterSettings.from(
        ConfigFactory.parseMap(overrides, "command line").withFallback(settings.raw()));
    if (applied.raw().getString("twinrouter.gateway.proxy-model").isBlank()) {
      throw new InputException("--router " + router + ": give --proxy-model NAME, the model"
          + " name the proxy expects");
    }
    return applied;
  }
}
