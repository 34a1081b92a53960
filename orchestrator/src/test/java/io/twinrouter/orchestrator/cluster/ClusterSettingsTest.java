package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.journal.JournalDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
  private final ClusterSettings defaults = ClusterSettings.from(ConfigFactory.load());

  @Test
  void membersGetTheProjectsClusterSettingsOverPekkosDefaults() {
    Config c = defaults.withSeeds(List.of("127.0.0.1:2551"))
        .pekkoConfig(List.of(ClusterSettings.NODE_ROLE), ConfigFactory.load());
    assertEquals("cluster", c.getString("pekko.actor.provider"));
    assertEquals("127.0.0.1", c.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(List.of("pekko://twinrouter@127.0.0.1:2551"), c.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("keep-majority", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals("node", c.getString("pekko.cluster.split-brain-resolver.keep-majority.role"));
    assertEquals(Duration.ofSeconds(10),
        c.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"));
    assertTrue(c.getBoolean("pekko.cluster.sharding.remember-entities"));
    assertEquals("eventsourced", c.getString("pekko.cluster.sharding.remember-entities-store"));
    assertEquals("jackson-json", c.getString(
        "pekko.actor.serialization-bindings.\"io.twinrouter.orchestrator.cluster.ClusterMessage\""));
    assertEquals("jackson-json", c.getString(
        "pekko.actor.serialization-bindings.\"io.twinrouter.scoring.service.LiveRuns$CrossNode\""));
  }

  @Test
  void badSettingsNameTheFlag() {
    var noSeed = assertThrows(IllegalArgumentException.class, () -> defaults.validate(true));
    assertTrue(noSeed.getMessage().contains("--seed"), noSeed.getMessage());
    var badSeed = assertThrows(IllegalArgumentException.class,
        () -> defaults.withSeeds(List.of("localhost")).validate(false));
    assertTrue(badSeed.getMessage().contains("HOST:PORT"), badSeed.getMessage());
    var noJournal = assertThrows(IllegalArgumentException.class,
        () -> defaults.withSeeds(List.of("127.0.0.1:2551")).validate(true));
    assertTrue(noJournal.getMessage().contains("--journal"), noJournal.getMessage());
    var zero = assertThrows(IllegalArgumentException.class,
        () -> defaults.withSeeds(List.of("127.0.0.1:2551")).withMaxCases(0)
            .withJournal(new JournalDatabase("jdbc:postgresql://127.0.0.1/x", "", "")).validate(true));
    assertTrue(zero.getMessage().contains("--max-cases"), zero.getMessage());
    var badHttp = assertThrows(IllegalArgumentException.class,
        () -> defaults.withSeeds(List.of("127.0.0.1:2551")).withHttpPort(70000).validate(false));
    assertTrue(badHttp.getMessage().contains("--http-port"), badHttp.getMessage());
  }

  @Test
  void nodesServeNoHttpUnlessAPortIsGivenInHoconOrOnTheCommandLine() {
    assertEquals(ClusterSettings.NO_HTTP, defaults.httpPort());
    ClusterSettings fromHocon = ClusterSettings.from(
        ConfigFactory.parseString("twinrouter.cluster.http-port = 8181").withFallback(ConfigFactory.load()));
    assertEquals(8181, fromHocon.httpPort());
    assertEquals(0, fromHocon.withHttpPort(0).httpPort());
  }

  @Test
  void membersBindOneAddressAndAdvertiseAnotherDefaultingToLoopback() {
    assertEquals("127.0.0.1", defaults.host());
    assertEquals("127.0.0.1", defaults.httpHost());
    assertEquals("127.0.0.1", defaults.advertisedHost());
    Config c = defaults.withHost("0.0.0.0").withAdvertise("10.1.2.3").withPort(2552)
        .withSeeds(List.of("10.1.2.4:2551", "[fd00::5]:2551"))
        .pekkoConfig(List.of(ClusterSettings.NODE_ROLE), ConfigFactory.load());
    assertEquals("0.0.0.0", c.getString("pekko.remote.artery.bind.hostname"));
    assertEquals("10.1.2.3", c.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(List.of("pekko://twinrouter@10.1.2.4:2551", "pekko://twinrouter@[fd00::5]:2551"),
        c.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("10.1.2.3:2552", defaults.withAdvertise("10.1.2.3").withPort(2552).memberAddress());
    assertEquals("[fd00::5]:2552", defaults.withAdvertise("fd00::5").withPort(2552).memberAddress());
    assertEquals("tcp", ConfigFactory.load().getString("pekko.remote.artery.transport"),
        "without --tls Artery speaks plain TCP, as before");
  }

  @Test
  void wildcardBindsNeedAnAdvertisedAddressAndHttpHostIsChecked() {
    ClusterSettings seeded = defaults.withSeeds(List.of("127.0.0.1:2551"));
    var wildcard = assertThrows(IllegalArgumentException.class,
        () -> seeded.withHost("0.0.0.0").validate(false));
    assertTrue(wildcard.getMessage().contains("--advertise"), wildcard.getMessage());
    seeded.withHost("0.0.0.0").withAdvertise("10.1.2.3").validate(false);
    var adv = assertThrows(IllegalArgumentException.class,
        () -> seeded.withAdvertise("0.0.0.0").validate(false));
    assertTrue(adv.getMessage().contains("--advertise"), adv.getMessage());
    var http = assertThrows(IllegalArgumentException.class,
        () -> seeded.withHttpHost(" ").validate(false));
    assertTrue(http.getMessage().contains("--http-host"), http.getMessage());
    defaults.withSeeds(List.of("[::1]:2551")).validate(false);
  }

  @Test
  void tlsNeedsAMembersDirectoryAndTurnsOnMutualAuthentication(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) {
    ClusterSettings seeded = defaults.withSeeds(List.of("127.0.0.1:2551"));
    var missing = assertThrows(IllegalArgumentException.class,
        () -> seeded.withTls(dir.toString()).validate(false));
    assertTrue(missing.getMessage().contains("--tls"), missing.getMessage());
    java.nio.file.Path member = ClusterCerts.write(dir, 1, null).get(0);
    Config c = seeded.withTls(member.toString()).pekkoConfig(List.of("client"), ConfigFactory.load());
    assertEquals("tls-tcp", c.getString("pekko.remote.artery.transport"));
    assertTrue(c.getBoolean("pekko.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"));
    assertEquals(member.resolve("keystore.p12").toAbsolutePath().toString(),
        c.getString("pekko.remote.artery.ssl.config-ssl-engine.key-store"));
  }

  @Test
  void aNodesWorkDirIsItsOwnUnlessGiven() {
    ClusterSettings a = defaults.withHost("127.0.0.2").withPort(2551);
    ClusterSettings b = defaults.withHost("127.0.0.3").withPort(2551);
    assertTrue(a.nodeWorkDir().startsWith(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"))));
    assertTrue(!a.nodeWorkDir().equals(b.nodeWorkDir()), "two nodes on one machine share no folder");
    assertEquals(java.nio.file.Path.of("/srv/tr"), a.withWorkDir("/srv/tr").nodeWorkDir());
    assertEquals("_fd00__5__2551", defaults.withAdvertise("fd00::5").withPort(2551).memberTag());
  }
}
