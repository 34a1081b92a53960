package io.twinrouter.orchestrator.branch;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.journal.JournalDatabase;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.RunOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A finished live run that branches start from: its {@code run.json}, the results of its cases,
 * and each case's journalled steps, read once from its H2 journal (as a resumed run reads them)
 * in a short-lived actor system of its own.
 *
 * @param results each case's {@code results/<id>.json}, in the order of the run's files
 * @param steps each case's journalled steps, step 0 first
 */
record SourceRun(Path dir, JsonNode runJson, Map<String, JsonNode> results,
    Map<String, List<RecordedStep>> steps) {

  String runId() {
    return runJson.path("run_id").asText();
  }

  String label() {
    return runJson.path("router_label").asText(runJson.path("router").asText());
  }

  /**
   * Reads {@code dir}; only the cases in {@code ids} (null for all) have their journal read.
   *
   * @throws IllegalArgumentException when {@code dir} is not a finished run with a journal
   */
  static SourceRun read(Path dir, List<String> ids, TwinrouterSettings settings)
      throws InterruptedException {
    JsonNode run = RunOutputs.readIfPresent(dir.resolve("run.json"));
    if (run == null || !run.hasNonNull("run_id") || !run.hasNonNull("router")) {
      throw new IllegalArgumentException("--from " + dir + ": not a live run directory (no"
          + " run.json with run_id and router)");
    }
    if (!Files.isRegularFile(dir.resolve("journal.mv.db"))) {
      throw new IllegalArgumentException("--from " + dir + ": the run has no journal"
          + " (journal.mv.db), so its steps cannot be replayed");
    }
    Map<String, JsonNode> results = new LinkedHashMap<>();
    for (JsonNode r : RunOutputs.results(dir)) {
      results.put(r.path("instance_id").asText(), r);
    }
    List<String> wanted = ids == null ? List.copyOf(results.keySet()) : ids;
    for (String id : wanted) {
      if (!results.containsKey(id)) {
        throw new IllegalArgumentException("--from " + dir + ": case " + id + " has no result in"
            + " results/ (the source run's finished cases: " + results.keySet() + ")");
      }
    }
    return new SourceRun(dir, run, results,
        journalled(dir, run.path("run_id").asText(), wanted, settings));
  }

  private static Map<String, List<RecordedStep>> journalled(Path dir, String runId,
      List<String> ids, TwinrouterSettings settings) throws InterruptedException {
    Config config = JournalDatabase.h2(dir).pekkoConfig().withFallback(settings.raw());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "branch-source", config);
    Duration timeout = settings.raw().getDuration("twinrouter.live.branch-journal-read-timeout");
    try {
      Map<String, List<RecordedStep>> steps = new LinkedHashMap<>();
      int n = 0;
      for (String id : ids) {
        ActorRef<CaseJournal.Command> journal = system.systemActorOf(
            CaseJournal.create(runId, id), "journal-" + n++, Props.empty());
        CaseJournal.History h = AskPattern.<CaseJournal.Command, CaseJournal.History>ask(journal,
            CaseJournal.Load::new, timeout, system.scheduler()).toCompletableFuture()
            .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        if (h.steps().isEmpty()) {
          throw new IllegalArgumentException("--from " + dir + ": case " + id + " has no"
              + " journalled steps under run id " + runId);
        }
        steps.put(id, new ArrayList<>(h.steps()));
      }
      return steps;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the source run's journal in " + dir + " could not be read: "
          + e.getMessage(), e);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }
}
