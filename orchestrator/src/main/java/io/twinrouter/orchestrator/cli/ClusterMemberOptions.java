package io.twinrouter.orchestrator.cli;

import io.twinrouter.orchestrator.cluster.ClusterSettings;
import picocli.CommandLine.Option;

/**
 * The options every cluster member takes ({@code node} and {@code live run --cluster}): where its
 * Artery binds, the address the other members use, and its TLS directory.
 */
final class ClusterMemberOptions {
  @Option(names = "--host", paramLabel = "ADDR",
      description = "Address Artery binds (default twinrouter.cluster.host, 127.0.0.1; 0.0.0.0 binds"
          + " every address and needs --advertise).")
  String host;

  @Option(names = "--advertise", paramLabel = "ADDR",
      description = "Address the other members reach this one at (default: --host), e.g. this"
          + " machine's address when binding 0.0.0.0 or behind NAT.")
  String advertise;

  @Option(names = "--tls", paramLabel = "DIR",
      description = "This member's directory from 'twinrouter cluster certs' (keystore.p12,"
          + " truststore.p12, password): Artery over TLS, members authenticate each other."
          + " Every member of a cluster must use it (default twinrouter.cluster.tls, none).")
  String tls;

  boolean any() {
    return host != null || advertise != null || tls != null;
  }

  ClusterSettings apply(ClusterSettings c) {
    if (host != null) {
      c = c.withHost(host);
    }
    if (advertise != null) {
      c = c.withAdvertise(advertise);
    }
    if (tls != null) {
      c = c.withTls(tls);
    }
    return c;
  }
}
