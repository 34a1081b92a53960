package io.twinrouter.orchestrator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One member's TLS files, as {@link ClusterCerts} writes them into a member's directory, and the
 * Artery settings that use them: TLS 1.3 over TCP, each side proving it holds a key whose
 * certificate the cluster's CA signed ({@code require-mutual-authentication}). Host names are not
 * checked: a member's certificate says it belongs to the cluster, not where it runs, so members
 * can move between machines and addresses without new certificates.
 */
public final class MemberTls {
  /** This member's private key and its certificate chain (member, CA). */
  public static final String KEYSTORE = "keystore.p12";
  /** The CA's certificate: the only one a peer's certificate may be signed by. */
  public static final String TRUSTSTORE = "truststore.p12";
  /** The stores' password (owner-readable only). */
  public static final String PASSWORD = "password";

  private MemberTls() {}

  /** Checks the directory holds a member's files; the message names {@code --tls}. */
  static void check(Path dir) {
    for (String f : new String[] {KEYSTORE, TRUSTSTORE, PASSWORD}) {
      if (!Files.isReadable(dir.resolve(f))) {
        throw new IllegalArgumentException("--tls " + dir + ": no readable " + f
            + " (make a member's directory with 'twinrouter cluster certs')");
      }
    }
  }

  /** Artery over TLS-TCP with this member's key, trusting the cluster's CA only. */
  static Config pekkoConfig(Path dir) {
    check(dir);
    String password = password(dir);
    String p = "pekko.remote.artery.ssl.config-ssl-engine.";
    return ConfigFactory.parseMap(Map.of(
        "pekko.remote.artery.transport", "tls-tcp",
        "pekko.remote.artery.ssl.ssl-engine-provider",
        "org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider",
        p + "key-store", dir.resolve(KEYSTORE).toAbsolutePath().toString(),
        p + "trust-store", dir.resolve(TRUSTSTORE).toAbsolutePath().toString(),
        p + "key-store-password", password,
        p + "key-password", password,
        p + "trust-store-password", password,
        p + "protocol", "TLSv1.3"))
        .withValue(p + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true))
        .withValue(p + "hostname-verification", ConfigValueFactory.fromAnyRef(false));
  }

  static String password(Path dir) {
    try {
      return Files.readString(dir.resolve(PASSWORD), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(PASSWORD), e);
    }
  }
}
