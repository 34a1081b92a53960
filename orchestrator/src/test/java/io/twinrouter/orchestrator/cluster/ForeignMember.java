package io.twinrouter.orchestrator.cluster;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

/**
 * An attacker's member directory: a key and certificate signed by a CA of its own, and a
 * truststore holding the cluster's CA (public knowledge). It accepts the cluster's members, so
 * only the members' check of its certificate (mutual authentication) can refuse it.
 */
final class ForeignMember {
  private ForeignMember() {}

  static Path make(Path dir, Path clusterMember) throws Exception {
    Path foreign = ClusterCerts.write(dir, 1, null).get(0);
    KeyStore ts = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(clusterMember.resolve(MemberTls.TRUSTSTORE))) {
      ts.load(in, MemberTls.password(clusterMember).toCharArray());
    }
    try (OutputStream o = Files.newOutputStream(foreign.resolve(MemberTls.TRUSTSTORE))) {
      ts.store(o, MemberTls.password(foreign).toCharArray());
    }
    return foreign;
  }
}
