package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files across the cluster through the journal, on a one-node cluster whose every message is
 * serialized as it is sent ({@code serialize-messages}): a file larger than Artery's frame goes
 * in chunks and comes back whole, a run's task rows and bundles reach a node that cannot read the
 * client's folder, and a case's files come back to the client's folder with their paths moved.
 */
class StoredFileTest {
  static final ActorTestKit kit = OneNodeCluster.kit("pekko.actor.serialize-messages = on");
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @BeforeAll
  static void joinItself() {
    StoredFile.init(kit.system());
    OneNodeCluster.join(kit);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aFileLargerThanAFrameIsStoredInChunksAndComesBackWhole() throws Exception {
    byte[] bytes = new byte[5 * StoredFile.CHUNK_BYTES + 1234];
    new Random(19).nextBytes(bytes);
    FileRef ref = get(FileTransfer.upload(kit.system(), "big.bin", bytes, TIMEOUT));
    assertEquals(bytes.length, ref.size());
    assertArrayEquals(bytes, get(FileTransfer.download(kit.system(), ref, TIMEOUT)));
    // storing it again is harmless (a retried upload)
    assertEquals(ref, get(FileTransfer.upload(kit.system(), "big.bin", bytes, TIMEOUT)));

    // a full chunk as it crosses the cluster stays under Artery's 256 KiB frame
    var probe = kit.<StoredFile.Written>createTestProbe();
    byte[] chunk = java.util.Arrays.copyOf(bytes, StoredFile.CHUNK_BYTES);
    byte[] wire = SerializationExtension.get(kit.system().classicSystem())
        .serialize(new StoredFile.Write(0, 6, chunk, probe.getRef())).get();
    assertTrue(wire.length > StoredFile.CHUNK_BYTES, "base64 of a chunk: " + wire.length);
    assertTrue(wire.length < 256 * 1024, "a chunk's message is " + wire.length + " bytes");
  }

  @Test
  void aFileNeverStoredIsAnErrorNamingIt() {
    FileRef missing = new FileRef("missing.json", "00".repeat(32), 10);
    var e = assertThrows(ExecutionException.class,
        () -> get(FileTransfer.download(kit.system(), missing, TIMEOUT)));
    assertTrue(e.getCause().getMessage().contains("missing.json is not stored")
        || e.getCause().getMessage().contains("(" + missing.sha256() + ") is not stored"),
        e.getCause().getMessage());
  }

  @Test
  void aRunsRowsAndBundlesReachANodeThatCannotReadTheClientsFolder() throws Exception {
    Path client = dir.resolve("client");
    List<TaskInstance> all = TaskSuite.bundled(client.resolve("suite"));
    List<TaskInstance> chosen = List.of(all.get(0), all.get(5));
    Path specs = Files.writeString(client.resolve("specs.json"),
        "{\"test-org/shipped\": {\"9.9\": {\"test_cmd\": \"pytest -q\"}}}");
    RunShipment.Inputs inputs = RunShipment.ship(kit.system(), chosen,
        client.resolve("suite").resolve(TaskSuite.BUNDLED_TASK_FILE), specs);
    Map<String, String> bundleHashes = chosen.stream().collect(Collectors.toMap(
        TaskInstance::instanceId, t -> RunInput.sha256(read(t.repoSource().orElseThrow()))));
    deleteTree(client);

    Path cache = dir.resolve("node-work").resolve("inputs");
    Path rows = RunShipment.receive(kit.system(), inputs, cache);
    assertTrue(rows.startsWith(cache), rows.toString());
    List<TaskInstance> received = TaskSuite.load(rows);
    assertEquals(chosen.stream().map(TaskInstance::instanceId).toList(),
        received.stream().map(TaskInstance::instanceId).toList());
    for (int i = 0; i < chosen.size(); i++) {
      TaskInstance sent = chosen.get(i);
      TaskInstance got = received.get(i);
      assertEquals(sent.patch(), got.patch());
      assertEquals(sent.testPatch(), got.testPatch());
      assertEquals(sent.problemStatement(), got.problemStatement());
      assertEquals(sent.failToPass(), got.failToPass());
      assertEquals(sent.testCmd(), got.testCmd());
      Path bundle = got.repoSource().orElseThrow();
      assertTrue(bundle.startsWith(cache), bundle.toString());
      assertEquals(bundleHashes.get(sent.instanceId()), RunInput.sha256(read(bundle)));
    }
    assertEquals(rows, RunShipment.receive(kit.system(), inputs, cache), "cached by hash");
    assertTrue(io.twinrouter.agent.grading.RepoSpecs.find("test-org/shipped", "9.9").isPresent(),
        "the node grades with the run's --specs");
  }

  @Test
  void aRepositoryFolderDoesNotShipAndTheRowIsNamed() throws Exception {
    Path suite = dir.resolve("suite");
    TaskSuite.bundled(suite);
    Path rowsFile = suite.resolve(TaskSuite.BUNDLED_TASK_FILE);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var row = (com.fasterxml.jackson.databind.node.ObjectNode)
        json.readTree(Files.readAllLines(rowsFile).get(0));
    Files.createDirectories(dir.resolve("repo-folder"));
    row.put("repo_source", "../repo-folder");
    Path tasksFile = Files.writeString(suite.resolve("folder.jsonl"), json.writeValueAsString(row) + "\n");
    List<TaskInstance> tasks = TaskSuite.load(tasksFile);
    var e = assertThrows(IllegalArgumentException.class,
        () -> RunShipment.ship(kit.system(), tasks, tasksFile, null));
    assertTrue(e.getMessage().contains("folder.jsonl:1") && e.getMessage().contains("repo_source"),
        e.getMessage());
  }

  @Test
  void aCasesFilesComeBackToTheClientsFolderWithTheNodesPathsMoved() throws Exception {
    Path nodeOut = dir.resolve("node").resolve("out").toAbsolutePath();
    Path logs = nodeOut.resolve("logs/run_evaluation/r1/swerouterbench/case-1");
    Files.createDirectories(logs);
    Files.createDirectories(nodeOut.resolve("results"));
    Files.writeString(nodeOut.resolve("results/case-1.json"),
        "{\"instance_id\":\"case-1\",\"eval_report_path\":\"" + logs.resolve("report.json") + "\"}");
    Files.writeString(nodeOut.resolve("case-1.trace.jsonl"), "{\"step_index\":0}\n");
    Files.writeString(nodeOut.resolve("case-1.mini_traj.json"), "{}");
    Files.writeString(logs.resolve("report.json"), "{\"case-1\":{}}");
    Files.write(logs.resolve("patch.diff"), new byte[] {(byte) 0xff, 0, 1}); // not text
    Files.writeString(nodeOut.resolve("case-2.trace.jsonl"), "another case's");

    var io = java.util.concurrent.Executors.newSingleThreadExecutor();
    List<FileRef> files;
    try {
      files = get(CaseOutputs.upload(kit.system(), io, nodeOut, "r1", "case-1", TIMEOUT));
    } finally {
      io.shutdown();
    }
    assertEquals(Set.of("results/case-1.json", "case-1.trace.jsonl", "case-1.mini_traj.json",
            "logs/run_evaluation/r1/swerouterbench/case-1/report.json",
            "logs/run_evaluation/r1/swerouterbench/case-1/patch.diff"),
        files.stream().map(FileRef::path).collect(Collectors.toSet()));

    Path out = dir.resolve("client-out").toAbsolutePath();
    Files.createDirectories(out);
    CaseOutputs.write(kit.system(), out, files, nodeOut.toString());
    assertEquals("{\"instance_id\":\"case-1\",\"eval_report_path\":\""
            + out.resolve("logs/run_evaluation/r1/swerouterbench/case-1/report.json") + "\"}",
        Files.readString(out.resolve("results/case-1.json")));
    assertEquals("{\"step_index\":0}\n", Files.readString(out.resolve("case-1.trace.jsonl")));
    assertArrayEquals(new byte[] {(byte) 0xff, 0, 1},
        Files.readAllBytes(out.resolve("logs/run_evaluation/r1/swerouterbench/case-1/patch.diff")));
    assertFalse(Files.exists(out.resolve("case-2.trace.jsonl")), "only the case's own files");

    FileRef escaping = new FileRef("../elsewhere.json", files.get(0).sha256(), files.get(0).size());
    assertThrows(IllegalStateException.class,
        () -> CaseOutputs.write(kit.system(), out, List.of(escaping), nodeOut.toString()));
  }

  private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static byte[] read(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertFalse(Files.exists(root));
  }
}
