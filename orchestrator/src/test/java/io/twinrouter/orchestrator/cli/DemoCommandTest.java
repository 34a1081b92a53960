package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo} compares built-in routers; another router is refused before anything starts. */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void aRouterThatIsNotBuiltInIsBadInputNamingLiveRun() {
    ServeCommandTest.Run r = ServeCommandTest.cli("demo", "--no-serve", "--out", dir.resolve("demo").toString(),
        "--routers", "always-high,http://127.0.0.1:8765/route");
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("--routers: 'http://127.0.0.1:8765/route' is not a built-in router"), r.err());
    assertTrue(r.err().contains("live run --router URL --router-name NAME"), r.err());
    assertFalse(Files.exists(dir.resolve("demo")), "nothing was started");
  }
}
