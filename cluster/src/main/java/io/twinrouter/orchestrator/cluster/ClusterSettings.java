package io.twinrouter.orchestrator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.twinrouter.agent.journal.JournalDatabase;
import java.nio.file.Path;
import java.util.List;

/**
 * One member's cluster settings ({@code twinrouter.cluster} in HOCON, overridden by CLI flags).
 *
 * @param host the address this member's Artery binds (loopback by default)
 * @param advertise the address other members reach this one at; empty: {@code host}
 * @param port this member's Artery port (0: any free port, for clients)
 * @param seedNodes {@code HOST:PORT} of the nodes to join ({@code [v6]:PORT} for IPv6)
 * @param maxCases cases this node runs at once
 * @param journal the shared journal (PostgreSQL when clustered)
 * @param httpHost the address the node's HTTP API binds
 * @param httpPort the port this node serves the scoring service's HTTP API on ({@link #NO_HTTP}:
 *     none, 0: any free port)
 * @param tls a member's directory made by {@code cluster certs} (keystore, truststore, password):
 *     Artery then speaks TLS with mutual authentication; empty: plain TCP
 * @param workDir a node's private working folder (the tasks it extracts for its runs); empty: a
 *     folder named after the node under the system's temporary directory
 */
public record ClusterSettings(
    String host, String advertise, int port, List<String> seedNodes, int maxCases,
    JournalDatabase journal, String httpHost, int httpPort, String tls, String workDir) {

  public static final String SYSTEM_NAME = "twinrouter";
  /** The role of nodes that run cases and host the coordinator; clients join without it. */
  public static final String NODE_ROLE = "node";
  /** Pekko's cluster, split-brain resolver and sharding settings of every member. */
  static final String CLUSTER_DEFAULTS = "twinrouter-cluster.conf";
  /** {@code http-port} of a node that serves no HTTP. */
  public static final int NO_HTTP = -1;

  public ClusterSettings {
    seedNodes = List.copyOf(seedNodes);
  }

  public static ClusterSettings from(Config raw) {
    Config c = raw.getConfig("twinrouter.cluster");
    Config j = c.getConfig("journal");
    return new ClusterSettings(c.getString("host"), c.getString("advertise"), c.getInt("port"),
        c.getStringList("seed-nodes"), c.getInt("max-cases"),
        new JournalDatabase(j.getString("url"), j.getString("user"), j.getString("password")),
        c.getString("http-host"), c.getInt("http-port"), c.getString("tls"), c.getString("work-dir"));
  }

  /** The address other members use: {@code advertise}, or the bind address when none is given. */
  public String advertisedHost() {
    return advertise.isBlank() ? host : advertise;
  }

  /** {@code HOST:PORT} as other members know this one (logs, sandbox labels, case_nodes). */
  public String memberAddress() {
    String h = advertisedHost();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
  }

  public ClusterSettings withHost(String h) {
    return new ClusterSettings(h, advertise, port, seedNodes, maxCases, journal, httpHost, httpPort, tls, workDir);
  }

  public ClusterSettings withAdvertise(String a) {
    return new ClusterSettings(host, a, port, seedNodes, maxCases, journal, httpHost, httpPort, tls, workDir);
  }

  public ClusterSettings withPort(int p) {
    return new ClusterSettings(host, advertise, p, seedNodes, maxCases, journal, httpHost, httpPort, tls, workDir);
  }

  public ClusterSettings withSeeds(List<String> seeds) {
    return new ClusterSettings(host, advertise, port, seeds, maxCases, journal, httpHost, httpPort, tls, workDir);
  }

  public ClusterSettings withMaxCases(int n) {
    return new ClusterSettings(host, advertise, port, seedNodes, n, journal, httpHost, httpPort, tls, workDir);
  }

  public ClusterSettings withJournal(JournalDatabase db) {
    return new ClusterSettings(host, advertise, port, seedNodes, maxCases, db, httpHost, httpPort, tls, workDir);
  }

  public ClusterSettings withHttpHost(String h) {
    return new ClusterSettings(host, advertise, port, seedNodes, maxCases, journal, h, httpPort, tls, workDir);
  }

  public ClusterSettings withHttpPort(int p) {
    return new ClusterSettings(host, advertise, port, seedNodes, maxCases, journal, httpHost, p, tls, workDir);
  }

  public ClusterSettings withTls(String dir) {
    return new ClusterSettings(host, advertise, port, seedNodes, maxCases, journal, httpHost, httpPort, dir, workDir);
  }

  public ClusterSettings withWorkDir(String dir) {
    return new ClusterSettings(host, advertise, port, seedNodes, maxCases, journal, httpHost, httpPort, tls, dir);
  }

  /** This node's working folder: {@code work-dir}, else one under the temporary directory. */
  public Path nodeWorkDir() {
    return workDir.isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "twinrouter-node-" + memberTag())
        : Path.of(workDir);
  }

  /** {@link #memberAddress()} as a file and label name. */
  public String memberTag() {
    return memberAddress().replaceAll("[^A-Za-z0-9.-]", "_");
  }

  /** Checks what a member cannot start without; messages name the option. */
  public void validate(boolean node) {
    if (seedNodes.isEmpty()) {
      throw new IllegalArgumentException("no seed node: give --seed HOST:PORT or twinrouter.cluster.seed-nodes");
    }
    for (String s : seedNodes) {
      if (!s.matches("(\\[[0-9A-Fa-f:.%\\w]+\\]|[^:\\s\\[\\]]+):\\d{1,5}")) {
        throw new IllegalArgumentException("seed node '" + s + "' is not HOST:PORT ([ADDR]:PORT for IPv6)");
      }
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException("--host must name an address to bind");
    }
    if (advertise.isBlank() && isWildcard(host)) {
      throw new IllegalArgumentException("--host " + host + " binds every address: give --advertise"
          + " ADDR, the address other members reach this one at");
    }
    if (isWildcard(advertise)) {
      throw new IllegalArgumentException("--advertise " + advertise + " is no address other members"
          + " can reach: give this machine's address");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0-65535, got " + port);
    }
    if (httpHost.isBlank()) {
      throw new IllegalArgumentException("--http-host must name an address to bind");
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
    if (!tls.isBlank()) {
      MemberTls.check(Path.of(tls));
    }
  }

  private static boolean isWildcard(String h) {
    return h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]");
  }

  /** Pekko's cluster settings for this member, over {@code fallback}. */
  public Config pekkoConfig(List<String> roles, Config fallback) {
    Config own = ConfigFactory.empty()
        .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("cluster"))
        .withValue("pekko.remote.artery.canonical.hostname",
            ConfigValueFactory.fromAnyRef(advertisedHost()))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
        .withValue("pekko.remote.artery.bind.hostname", ConfigValueFactory.fromAnyRef(host))
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(
            seedNodes.stream().map(s -> "pekko://" + SYSTEM_NAME + "@" + s).toList()));
    if (!tls.isBlank()) {
      own = MemberTls.pekkoConfig(Path.of(tls)).withFallback(own);
    }
    // system properties and application.conf still override this project's cluster defaults,
    // which override Pekko's (already in the fallback)
    return own.withFallback(ConfigFactory.defaultOverrides())
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(CLUSTER_DEFAULTS))
        .withFallback(fallback)
        .resolve();
  }
}
