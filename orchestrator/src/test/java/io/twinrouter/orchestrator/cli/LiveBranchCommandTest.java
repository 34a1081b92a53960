package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code live branch}: exit 2 with one line naming the problem, nothing run. */
class LiveBranchCommandTest {
  @TempDir Path dir;

  private static LiveCommandTest.Result run(String... args) {
    return LiveCommandTest.run(args);
  }

  private LiveCommandTest.Result branch(Path from, String at, String choice) {
    return run("live", "branch", "--from", from.toString(), "--case", "a", "--at", at,
        "--choice", choice, "--out", dir.resolve("out").toString());
  }

  @Test
  void aMissingRunDirectoryIsBadInput() {
    LiveCommandTest.Result r = branch(dir.resolve("nowhere"), "3", "high");
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("nowhere: no such run directory"), r.stderr());
  }

  @Test
  void aDirectoryThatIsNotARunIsBadInput() throws Exception {
    Path notARun = Files.createDirectories(dir.resolve("plain"));
    LiveCommandTest.Result r = branch(notARun, "3", "high");
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("not a live run directory"), r.stderr());
  }

  @Test
  void aRunWithoutAJournalCannotBeReplayed() throws Exception {
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.writeString(run.resolve("run.json"), "{\"run_id\": \"r\", \"router\": \"random\"}");
    LiveCommandTest.Result r = branch(run, "3", "high");
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("has no journal (journal.mv.db)"), r.stderr());
  }

  @Test
  void stepsAreNumbersFromZero() {
    LiveCommandTest.Result r = branch(dir, "three", "high");
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("--at three: 'three' is not a step number"), r.stderr());
    r = branch(dir, "-1", "high");
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("steps count from 0"), r.stderr());
  }

  @Test
  void oneCaseOptionAtATime() {
    LiveCommandTest.Result r = run("live", "branch", "--from", dir.toString(), "--case", "a",
        "--cases", "all", "--at", "1", "--choice", "low", "--out", dir.resolve("out").toString());
    assertEquals(2, r.code(), r.stderr());
    assertTrue(r.stderr().contains("--case and --cases"), r.stderr());
  }
}
