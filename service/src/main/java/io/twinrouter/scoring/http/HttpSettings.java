package io.twinrouter.scoring.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the scoring service's HTTP side, from {@code twinrouter.http}.
 *
 * @param apiToken when present, every route but {@code /health} requires {@code Authorization:
 *     Bearer <token>}
 * @param routerHosts the hosts a router URL given to the service may name ({@link RouterHosts})
 */
public record HttpSettings(
    String host,
    int port,
    long maxBodyBytes,
    Duration askTimeout,
    int evaluationConcurrency,
    Duration evaluationTimeout,
    int maxFinishedJobs,
    Optional<String> apiToken,
    List<String> routerHosts) {

  public static final String TOKEN_ENV = "TWINROUTER_API_TOKEN";

  public HttpSettings {
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("twinrouter.http.max-body-bytes must be positive");
    }
    apiToken = apiToken.filter(t -> !t.isBlank());
    routerHosts = List.copyOf(routerHosts);
  }

  /** Reads {@code twinrouter.http}; the token comes from the environment variable. */
  public static HttpSettings from(Config root) {
    Config c = root.getConfig("twinrouter.http");
    return new HttpSettings(
        c.getString("host"),
        c.getInt("port"),
        c.getBytes("max-body-bytes"),
        c.getDuration("ask-timeout"),
        c.getInt("evaluation-concurrency"),
        c.getDuration("evaluation-timeout"),
        c.getInt("max-finished-jobs"),
        Optional.ofNullable(System.getenv(TOKEN_ENV)),
        c.getStringList(RouterHosts.SETTING.substring("twinrouter.http.".length())));
  }

  public HttpSettings withAddress(String host, int port) {
    return new HttpSettings(
        host, port, maxBodyBytes, askTimeout, evaluationConcurrency, evaluationTimeout,
        maxFinishedJobs, apiToken, routerHosts);
  }

  public HttpSettings withApiToken(Optional<String> token) {
    return new HttpSettings(
        host, port, maxBodyBytes, askTimeout, evaluationConcurrency, evaluationTimeout,
        maxFinishedJobs, token, routerHosts);
  }

  public HttpSettings withMaxBodyBytes(long bytes) {
    return new HttpSettings(
        host, port, bytes, askTimeout, evaluationConcurrency, evaluationTimeout, maxFinishedJobs,
        apiToken, routerHosts);
  }

  public HttpSettings withRouterHosts(List<String> hosts) {
    return new HttpSettings(
        host, port, maxBodyBytes, askTimeout, evaluationConcurrency, evaluationTimeout, maxFinishedJobs,
        apiToken, hosts);
  }

  /**
   * The configuration the actor system runs with: Pekko HTTP's own body limit raised to ours, so
   * that our limit (and its JSON 413) is the one a client meets, and requests too malformed to
   * route answered with our JSON error body too.
   */
  public Config pekkoConfig(Config root) {
    return ConfigFactory.parseString(
            "pekko.http.server.parsing.max-content-length = " + maxBodyBytes + "\n"
                + "pekko.http.server.parsing.max-to-strict-bytes = " + maxBodyBytes + "\n"
                + "pekko.http.server.parsing.error-handler = \""
                + JsonParsingErrorHandler.class.getName() + "\"\n")
        .withFallback(root);
  }
}
