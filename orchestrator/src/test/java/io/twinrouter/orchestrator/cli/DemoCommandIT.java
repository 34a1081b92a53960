package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --no-serve} on one bundled case with bwrap: both routers run and are ranked. */
class DemoCommandIT {

  @Test
  void ranksTwoRoutersOnTheBundledSuite(@TempDir Path dir) throws Exception {
    Path ids = dir.resolve("ids.txt");
    Files.writeString(ids, "twinrouter-suite__ledgerkit-101\n");
    Path out = dir.resolve("demo");
    CliOutput run = CliOutput.run("demo", "--no-serve", "--sandbox", "local", "--out",
        out.toString(), "--instance-ids", ids.toString());

    assertEquals(0, run.exitCode(), run.stdout());
    assertTrue(run.stdout().contains("rank router"), run.stdout());
    assertTrue(run.stdout().contains("always-high"), run.stdout());
    assertTrue(run.stdout().contains("heuristic"), run.stdout());
    assertTrue(Files.isRegularFile(out.resolve("always-high/score.json")));
    assertTrue(Files.isRegularFile(out.resolve("heuristic/score.json")));
    assertTrue(run.stdout().contains(out.resolve("heuristic/score.json").toAbsolutePath().toString()),
        run.stdout());
  }
}
