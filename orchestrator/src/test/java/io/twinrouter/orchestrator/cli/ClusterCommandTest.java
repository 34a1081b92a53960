package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCommandTest {
  @TempDir Path dir;

  @Test
  void certsWritesTheCaAndOneDirectoryPerMemberAndPrintsTheirPaths() {
    CliOutput out = CliOutput.run("cluster", "certs", "--out", dir.toString(), "--members", "2");
    assertEquals(0, out.exitCode());
    assertEquals(2, out.stdout().lines().count(), out.stdout());
    assertTrue(out.stdout().contains(dir.resolve("member-2").toString()), out.stdout());
    assertTrue(Files.exists(dir.resolve("ca/ca.p12")));
    assertTrue(Files.exists(dir.resolve("member-1/keystore.p12")));
  }

  @Test
  void badInputExitsWithTwo() {
    assertEquals(2, CliOutput.run("cluster", "certs", "--out", dir.toString(), "--members", "0").exitCode());
    assertEquals(2, CliOutput.run("cluster", "certs", "--out", dir.toString(), "--members", "1",
        "--ca", dir.resolve("no-such-ca").toString()).exitCode());
    assertEquals(2, CliOutput.run("node", "--seed", "127.0.0.1:2551", "--journal",
        "jdbc:postgresql://127.0.0.1:1/x", "--tls", dir.resolve("no-such-member").toString()).exitCode());
    assertEquals(2, CliOutput.run("node", "--seed", "127.0.0.1:2551", "--journal",
        "jdbc:postgresql://127.0.0.1:1/x", "--host", "0.0.0.0").exitCode());
    assertEquals(2, CliOutput.run("live", "run", "--router", "always-high", "--out",
        dir.resolve("run").toString(), "--tls", dir.toString()).exitCode());
  }

  @Test
  void attachTakesAClusterAndAnOutAndNothingOfTheRunsSettings() {
    String out = dir.resolve("attached").toString();
    assertTrue(refusal("live", "run", "--attach", "r1", "--out", out)
        .contains("--attach RUN_ID takes --cluster HOST:PORT and --out"));
    assertTrue(refusal("live", "run", "--attach", "r1", "--cluster", "127.0.0.1:2551",
        "--router", "always-high", "--out", out).contains("(no --router, no --serve)"));
    assertTrue(refusal("live", "run", "--out", out).contains("'--router=NAME|URL'"));
  }

  /** What the command says on stderr when it exits 2. */
  private static String refusal(String... args) {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertEquals(2, CliOutput.run(args).exitCode());
    } finally {
      System.setErr(original);
    }
    return err.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
