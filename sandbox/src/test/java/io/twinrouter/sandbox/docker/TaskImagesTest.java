package io.twinrouter.sandbox.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.sandbox.RepoSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskImagesTest {

  @Test
  void theTagFollowsContentCommitAndBaseImage(@TempDir Path tmp) throws IOException {
    Path bundle = tmp.resolve("repo.bundle");
    Files.writeString(bundle, "bundle bytes");
    String key = TaskImages.key("base:1", RepoSource.bundle(bundle, "abc123"));
    assertEquals(24, key.length());
    assertEquals(key, TaskImages.key("base:1", RepoSource.bundle(bundle, "abc123")), "stable");
    assertNotEquals(key, TaskImages.key("base:2", RepoSource.bundle(bundle, "abc123")));
    assertNotEquals(key, TaskImages.key("base:1", RepoSource.bundle(bundle, "def456")));
    Files.writeString(bundle, "other bundle bytes");
    assertNotEquals(key, TaskImages.key("base:1", RepoSource.bundle(bundle, "abc123")));
  }

  @Test
  void theBuildRunsTheCheckoutScriptOnTheCopiedBundle(@TempDir Path tmp) throws IOException {
    Path bundle = tmp.resolve("repo.bundle");
    Files.writeString(bundle, "x");
    String df = TaskImages.dockerfile("twinrouter/sandbox-base:bookworm", RepoSource.bundle(bundle, "abc123"));
    assertTrue(df.startsWith("FROM twinrouter/sandbox-base:bookworm\n"), df);
    assertTrue(df.contains("COPY repo.bundle /tmp/repo.bundle\nCOPY checkout.sh /tmp/checkout.sh\n"
        + "RUN bash /tmp/checkout.sh && rm -f /tmp/checkout.sh /tmp/repo.bundle\n"), df);
    assertTrue(df.endsWith("WORKDIR /testbed\n"), df);
  }
}
