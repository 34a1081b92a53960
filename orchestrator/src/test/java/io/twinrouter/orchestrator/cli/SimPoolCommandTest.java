package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.ModelPool;
import io.twinrouter.config.Tier;
import io.twinrouter.console.InputException;
import io.twinrouter.orchestrator.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimPoolCommandTest {

  @Test
  void readsAPoolFileWithEndpointsAndKeyNames(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pool.conf");
    Files.writeString(f, "models = [\n"
        + "  { model-id = \"acme/big\", tier = high, base-url = \"http://127.0.0.1:8000/v1\",\n"
        + "    api-key-env = ACME_KEY, rates { input = 1, cache-read = 0.1, cache-write = 1.25, output = 4 } }\n"
        + "  { model-id = \"acme/small\", tier = low, api-model = \"small-v2\",\n"
        + "    rates { input = 0.1, cache-read = 0.01, cache-write = 0.1, output = 0.4 } }\n"
        + "]\n");
    ModelPool pool = SimPoolCommand.loadPool(f);
    assertEquals(2, pool.models().size());
    assertEquals("ACME_KEY", pool.forTier(Tier.HIGH).orElseThrow().apiKeyEnv());
    assertEquals("small-v2", pool.forTier(Tier.LOW).orElseThrow().apiModel());
  }

  @Test
  void aBadPoolFileNamesTheEntry(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pool.json");
    Files.writeString(f, "{\"models\": [{\"model-id\": \"x\", \"tier\": \"ultra\"}]}");
    InputException e = assertThrows(InputException.class, () -> SimPoolCommand.loadPool(f));
    assertTrue(e.getMessage().contains("models[0]"), e.getMessage());
  }

  @Test
  void aMissingTaskFileIsAUserError() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertEquals(2, Main.run("sim-pool", "--tasks", "/no/such/tasks.jsonl"));
      assertEquals(2, Main.run("sim-pool", "--tasks", "/no/such/tasks.jsonl", "--fail-rate", "2"));
    } finally {
      System.setErr(err);
    }
  }
}
