package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster members on distinct loopback addresses, in this JVM (each its own actor system, talking
 * over real Artery sockets): they bind where {@code --host} says and find each other at the
 * advertised addresses; with {@code --tls} they authenticate each other, and a member whose key
 * the cluster's CA did not sign, or one without TLS, never joins.
 */
class ClusterMembersIT {
  private static final Duration JOIN = Duration.ofSeconds(60);
  /** Long enough for several join attempts (seed-node-timeout 5 s, retried). */
  private static final Duration REFUSED_FOR = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final List<ActorSystem<Void>> systems = new ArrayList<>();

  @AfterEach
  void stop() {
    systems.forEach(ActorSystem::terminate);
    systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
  }

  @Test
  void membersOnDistinctLoopbackAddressesFormAClusterBoundOnlyWhereTold() throws Exception {
    int seedPort = freePort("127.0.0.2");
    ClusterSettings seed = settings("127.0.0.2", seedPort, seedPort);
    ActorSystem<Void> a = member(seed);
    member(settings("127.0.0.3", 0, seedPort));
    awaitMembers(a, Set.of("127.0.0.2", "127.0.0.3"));
    // bound to 127.0.0.2 alone: nothing listens on the same port at 127.0.0.1
    assertThrows(ConnectException.class, () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", seedPort), 2000);
      }
    });
  }

  @Test
  void withTlsOnlyMembersSignedByTheClustersCaJoin() throws Exception {
    List<Path> certs = ClusterCerts.write(dir.resolve("cluster"), 2, null);
    Path outsider = ForeignMember.make(dir.resolve("other"), certs.get(0));
    int seedPort = freePort("127.0.0.2");
    ActorSystem<Void> a = member(settings("127.0.0.2", seedPort, seedPort).withTls(certs.get(0).toString()));
    member(settings("127.0.0.3", 0, seedPort).withTls(certs.get(1).toString()));
    awaitMembers(a, Set.of("127.0.0.2", "127.0.0.3"));

    // a key of another CA (while trusting the cluster's CA), and no TLS at all
    ActorSystem<Void> signedElsewhere =
        member(settings("127.0.0.4", 0, seedPort).withTls(outsider.toString()));
    ActorSystem<Void> plain = member(settings("127.0.0.4", 0, seedPort));
    Thread.sleep(REFUSED_FOR.toMillis());
    assertEquals(Set.of("127.0.0.2", "127.0.0.3"), upHosts(a));
    assertNotEquals(MemberStatus.up(), Cluster.get(signedElsewhere).selfMember().status());
    assertNotEquals(MemberStatus.up(), Cluster.get(plain).selfMember().status());
  }

  private static ClusterSettings settings(String host, int port, int seedPort) {
    return ClusterSettings.from(ConfigFactory.load()).withHost(host).withPort(port)
        .withSeeds(List.of("127.0.0.2:" + seedPort));
  }

  private ActorSystem<Void> member(ClusterSettings s) {
    s.validate(false);
    Config c = ConfigFactory.parseString("pekko.cluster.jmx.enabled = off")
        .withFallback(s.pekkoConfig(List.of(ClusterSettings.NODE_ROLE), ConfigFactory.load()));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, c);
    systems.add(system);
    return system;
  }

  private static void awaitMembers(ActorSystem<Void> system, Set<String> hosts) throws InterruptedException {
    long deadline = System.nanoTime() + JOIN.toNanos();
    while (!upHosts(system).equals(hosts)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("members up after " + JOIN + ": " + upHosts(system) + ", wanted " + hosts);
      }
      Thread.sleep(200);
    }
  }

  private static Set<String> upHosts(ActorSystem<Void> system) {
    Set<String> hosts = new TreeSet<>();
    StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .map(Member::address)
        .forEach(a -> hosts.add(a.getHost().get()));
    return hosts;
  }

  private static int freePort(String host) throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }
}
