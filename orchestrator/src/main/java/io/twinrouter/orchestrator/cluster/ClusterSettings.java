package io.twinrouter.orchestrator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.twinrouter.agent.journal.JournalDatabase;
import java.util.List;

/**
 * One node's cluster settings ({@code twinrouter.cluster} in HOCON, overridden by CLI flags).
 *
 * @param port this node's Artery port on 127.0.0.1 (0: any free port, for clients)
 * @param seedNodes {@code HOST:PORT} of the nodes to join
 * @param maxCases cases this node runs at once
 * @param journal the shared journal (PostgreSQL when clustered)
 * @param httpPort the port this node serves the scoring service's HTTP API on, on {@code host}
 *     ({@link #NO_HTTP}: none, 0: any free port)
 */
public record ClusterSettings(
    String host, int port, List<String> seedNodes, int maxCases, JournalDatabase journal,
    int httpPort) {

  public static final String SYSTEM_NAME = "twinrouter";
  /** The role of nodes that run cases and host the coordinator; clients join without it. */
  public static final String NODE_ROLE = "node";
  /** Pekko's cluster, split-brain resolver and sharding settings of every member. */
  static final String CLUSTER_DEFAULTS = "twinrouter-cluster.conf";
  /** {@code http-port} of a node that serves no HTTP. */
  public static final int NO_HTTP = -1;

  public static ClusterSettings from(Config raw) {
    Config c = raw.getConfig("twinrouter.cluster");
    Config j = c.getConfig("journal");
    return new ClusterSettings(c.getString("host"), c.getInt("port"),
        List.copyOf(c.getStringList("seed-nodes")), c.getInt("max-cases"),
        new JournalDatabase(j.getString("url"), j.getString("user"), j.getString("password")),
        c.getInt("http-port"));
  }

  public ClusterSettings withPort(int p) {
    return new ClusterSettings(host, p, seedNodes, maxCases, journal, httpPort);
  }

  public ClusterSettings withSeeds(List<String> seeds) {
    return new ClusterSettings(host, port, List.copyOf(seeds), maxCases, journal, httpPort);
  }

  public ClusterSettings withMaxCases(int n) {
    return new ClusterSettings(host, port, seedNodes, n, journal, httpPort);
  }

  public ClusterSettings withJournal(JournalDatabase db) {
    return new ClusterSettings(host, port, seedNodes, maxCases, db, httpPort);
  }

  public ClusterSettings withHttpPort(int p) {
    return new ClusterSettings(host, port, seedNodes, maxCases, journal, p);
  }

  /** Checks what a node cannot start without; messages name the setting. */
  public void validate(boolean node) {
    if (seedNodes.isEmpty()) {
      throw new IllegalArgumentException("no seed node: give --seed HOST:PORT or twinrouter.cluster.seed-nodes");
    }
    for (String s : seedNodes) {
      if (!s.matches("[^:\\s]+:\\d{1,5}")) {
        throw new IllegalArgumentException("seed node '" + s + "' is not HOST:PORT");
      }
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0-65535, got " + port);
    }
    if (httpPort < NO_HTTP || httpPort > 65535) {
      throw new IllegalArgumentException("--http-port must be 0-65535 (or -1 for none), got " + httpPort);
    }
    if (node && maxCases < 1) {
      throw new IllegalArgumentException("--max-cases must be at least 1, got " + maxCases);
    }
    if (node && journal.url().isBlank()) {
      throw new IllegalArgumentException(
          "no journal: give --journal jdbc:postgresql://... or twinrouter.cluster.journal.url");
    }
  }

  /** Pekko's cluster settings for this member, over {@code fallback}. */
  public Config pekkoConfig(List<String> roles, Config fallback) {
    Config own = ConfigFactory.empty()
        .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("cluster"))
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(
            seedNodes.stream().map(s -> "pekko://" + SYSTEM_NAME + "@" + s).toList()));
    // system properties and application.conf still override this project's cluster defaults,
    // which override Pekko's (already in the fallback)
    return own.withFallback(ConfigFactory.defaultOverrides())
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(CLUSTER_DEFAULTS))
        .withFallback(fallback)
        .resolve();
  }
}
