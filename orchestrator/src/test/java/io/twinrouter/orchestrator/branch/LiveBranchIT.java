package io.twinrouter.orchestrator.branch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.journal.JournalDatabase;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.common.Json;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.LiveRunChecks;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.RunOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code live branch} end to end: source runs of the bundled suite (simulated pool, bwrap
 * sandboxes), then branches of them replayed from their journals in fresh sandboxes.
 */
class LiveBranchIT {
  private static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  /** Fails under always-low, resolves under always-mid; step 5 writes the fix (seed 0). */
  private static final String CASE = "twinrouter-suite__taskgraph-301";

  private static final Pattern RETURN_CODE = Pattern.compile("<returncode>(-?\\d+)</returncode>");

  @TempDir static Path dir;
  private static Path lowSource;

  @Test
  void aBranchWithTheSourcesOwnChoiceReproducesItsTrajectoryAndItsBill() throws Exception {
    Path source = dir.resolve("random");
    new LiveRun(LiveRunOptions.of("bundled", "random", "local", source).withWorkers(2), SETTINGS)
        .run(e -> {}, false);
    Path out = dir.resolve("control");
    BranchRun.Outcome o = BranchRun.run(new BranchOptions(source, Optional.empty(),
        Optional.of(List.of(0, 4, 8)), List.of(BranchOptions.SOURCE), BranchOptions.SAME, out, 2,
        Optional.empty()), SETTINGS, false);

    assertTrue(o.notRun().isEmpty(), o.notRun().toString());
    Set<String> cases = new HashSet<>();
    List<String> outputNoise = new ArrayList<>();
    for (JsonNode b : o.report().path("branches")) {
      String id = b.path("instance_id").asText();
      int k = b.path("step").asInt();
      String where = id + " at step " + k;
      assertFalse(b.path("void").asBoolean(), where + ": " + b);
      assertFalse(b.path("outcome_changed").asBoolean(), where + ": " + b);
      assertEquals(0, b.path("new_spend_usd").asDouble() - (b.path("cost_usd").asDouble()
          - paidBefore(source, id, k)), 1e-12, where);
      JsonNode was = LiveRunChecks.json(RunOutputs.resultFile(source, id));
      Path branchDir = out.resolve(id).resolve("k" + k + "-source");
      JsonNode now = LiveRunChecks.json(RunOutputs.resultFile(branchDir, id));
      List<String> seen = contents(source.resolve(id + ".mini_traj.json"));
      List<String> seenAgain = contents(branchDir.resolve(id + ".mini_traj.json"));
      List<String> exactly = List.of("resolved", "step_count", "finished_by", "patch",
          "model_distribution");
      List<JsonNode> trajectory = steps(source.resolve(id + ".trace.jsonl"));
      List<JsonNode> again = steps(branchDir.resolve(id + ".trace.jsonl"));
      if (seen.equals(seenAgain) || trajectory.equals(again)) {
        assertEquals(trajectory, again, where + ": the trajectory, usage and bill of each step");
        exactly = new ArrayList<>(exactly);
        exactly.add("total_router_cost_usd");
      } else {
        // A command run afresh after K printed what the machine changes between runs (pytest's
        // "12 passed in 0.16s", the mount times `ls -la /` shows) and it cost a prompt token more
        // or less: the bill follows the tokens; the exit codes must still be the same.
        assertEquals(exitCodes(seen), exitCodes(seenAgain), where + ": the exit codes");
        outputNoise.add(where);
      }
      for (String f : exactly) {
        assertEquals(was.get(f), now.get(f), where + ": " + f);
      }
      assertEquals(decisions(source.resolve(id + ".trace.jsonl")),
          decisions(branchDir.resolve(id + ".trace.jsonl")), where + ": the decisions");
      cases.add(id);
    }
    assertEquals(13, cases.size(), "every bundled case: " + cases);
    int branches = o.report().path("branches").size();
    assertTrue(outputNoise.size() < branches, "some branches must compare exactly");
    System.out.printf("control branches: %d, %d of them billed otherwise (volatile output): %s%n",
        branches, outputNoise.size(), outputNoise);
  }

  @Test
  void aGridOverOneCaseNamesADowngradeThatBreaksItAndAnUpgradeThatRescuesIt() throws Exception {
    Path mid = sourceRun("always-mid");
    BranchRun.Outcome down = BranchRun.run(new BranchOptions(mid, Optional.of(List.of(CASE)),
        Optional.of(List.of(4, 5, 6)), List.of("low"), BranchOptions.SAME, dir.resolve("down"), 2,
        Optional.empty()), SETTINGS, false);
    JsonNode resolvedCase = down.report().path("cases").get(0);
    assertTrue(resolvedCase.path("source_resolved").asBoolean(), resolvedCase.toString());
    assertEquals(5, resolvedCase.path("earliest_changing_step").asInt(), resolvedCase.toString());
    JsonNode breaking = resolvedCase.path("breaking_downgrades");
    assertEquals(1, breaking.size(), breaking.toString());
    assertEquals("mid", breaking.get(0).path("from").asText());
    assertEquals("low", breaking.get(0).path("to").asText());
    assertTrue(down.text().contains("step 5   mid -> low      failed"), down.text());
    assertTrue(down.text().contains("<- downgrade breaks the case"), down.text());

    BranchRun.Outcome up = BranchRun.run(new BranchOptions(lowSource(), Optional.of(List.of(CASE)),
        Optional.of(List.of(4, 5, 6)), List.of("high"), BranchOptions.SAME, dir.resolve("up"), 2,
        Optional.empty()), SETTINGS, false);
    JsonNode failedCase = up.report().path("cases").get(0);
    assertFalse(failedCase.path("source_resolved").asBoolean(), failedCase.toString());
    assertTrue(failedCase.path("recoverable_by_one_upgrade").asBoolean(), failedCase.toString());
    assertEquals(5, failedCase.path("rescuing_upgrades").get(0).path("step").asInt());
    JsonNode fatal = up.report().path("router_view").path("fatal_downgrades");
    assertEquals(CASE, fatal.get(0).path("instance_id").asText(), fatal.toString());
    assertEquals("low", fatal.get(0).path("chose").asText());
    assertTrue(up.text().contains("recoverable by upgrading one step: yes (step 5 to high)"),
        up.text());
    assertTrue(up.report().path("router_view").path("total_regret_usd").asDouble() > 0);

    // a budget the first branch's own spend reaches: no other branch starts, and they are named
    BranchRun.Outcome cut = BranchRun.run(new BranchOptions(lowSource(),
        Optional.of(List.of(CASE)), Optional.of(List.of(4, 5, 6)), List.of("high"),
        BranchOptions.SAME, dir.resolve("budget"), 1, Optional.of(1e-9)), SETTINGS, false);
    assertEquals(2, cut.notRun().size(), cut.notRun().toString());
    assertEquals(1, cut.report().path("branches").size(), cut.report().toString());
    assertEquals(2, cut.report().path("not_run").size(), cut.report().toString());

    // the same command again resumes: every branch is finished, nothing runs, the report stays
    BranchRun.Outcome again = BranchRun.run(new BranchOptions(lowSource(),
        Optional.of(List.of(CASE)), Optional.of(List.of(4, 5, 6)), List.of("high"),
        BranchOptions.SAME, dir.resolve("up"), 2, Optional.empty()), SETTINGS, false);
    assertEquals(up.text(), again.text());
  }

  @Test
  void aBranchWhoseReplayDivergesIsVoidWithTheStepAndBothExitCodes() throws Exception {
    Path source = lowSource();
    Path tampered = dir.resolve("tampered");
    copy(source, tampered);
    int recorded = tamper(tampered, source, 1);

    BranchRun.Outcome o = BranchRun.run(new BranchOptions(tampered, Optional.of(List.of(CASE)),
        Optional.of(List.of(3)), List.of(BranchOptions.SOURCE), BranchOptions.SAME,
        dir.resolve("void"), 1, Optional.empty()), SETTINGS, false);

    JsonNode b = o.report().path("branches").get(0);
    assertTrue(b.path("void").asBoolean(), b.toString());
    assertEquals(1, b.path("diverged_at_step").asInt(), b.toString());
    assertEquals(recorded, b.path("recorded_exit_code").asInt(), b.toString());
    assertEquals(recorded - 7, b.path("exit_code").asInt(), b.toString());
    assertTrue(o.text().contains("VOID: ReplayDiverged: step 1: command '"), o.text());
    Path branchDir = dir.resolve("void").resolve(CASE).resolve("k3-source");
    JsonNode result = LiveRunChecks.json(RunOutputs.resultFile(branchDir, CASE));
    assertEquals("ReplayDiverged", result.path("finished_by").asText());
    // never re-run from step 0: the trace holds the replayed steps 0 and 1 and nothing after
    assertEquals(List.of(0, 1), steps(branchDir.resolve(CASE + ".trace.jsonl")).stream()
        .map(r -> r.path("step_index").asInt()).toList());
  }

  private static synchronized Path lowSource() throws Exception {
    if (lowSource == null) {
      lowSource = sourceRun("always-low");
    }
    return lowSource;
  }

  private static Path sourceRun(String router) throws Exception {
    Path out = dir.resolve(router);
    new LiveRun(LiveRunOptions.of("bundled", router, "local", out)
        .withInstanceIds(LiveRunChecks.idsFile(dir, List.of(CASE))), SETTINGS).run(e -> {}, false);
    return out;
  }

  /** The trace's step rows, without what the clock or the router's wording changes. */
  private static List<JsonNode> steps(Path trace) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(trace)) {
      JsonNode row = Json.MAPPER.readTree(line);
      if (row.has("step_index") && row.has("model_id")) {
        ObjectNode kept = Json.MAPPER.createObjectNode();
        for (String f : List.of("step_index", "model_id", "tier", "usage", "step_cost_usd",
            "cumulative_cost_usd", "tool_calls_preview", "assistant_content_preview")) {
          kept.set(f, row.get(f));
        }
        rows.add(kept);
      }
    }
    return rows;
  }

  /** Every step's model, tier and commands: what the router and the model decided. */
  private static List<JsonNode> decisions(Path trace) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (JsonNode r : steps(trace)) {
      ObjectNode kept = Json.MAPPER.createObjectNode();
      for (String f : List.of("step_index", "model_id", "tier", "tool_calls_preview",
          "assistant_content_preview")) {
        kept.set(f, r.get(f));
      }
      rows.add(kept);
    }
    return rows;
  }

  /** The conversation's message texts, as the trajectory file holds them. */
  private static List<String> contents(Path trajectory) throws Exception {
    List<String> out = new ArrayList<>();
    LiveRunChecks.json(trajectory).path("messages").forEach(m -> out.add(m.path("content")
        .asText()));
    return out;
  }

  private static List<String> exitCodes(List<String> contents) {
    List<String> codes = new ArrayList<>();
    for (String c : contents) {
      Matcher m = RETURN_CODE.matcher(c);
      while (m.find()) {
        codes.add(m.group(1));
      }
    }
    return codes;
  }

  private static double paidBefore(Path source, String id, int k) throws Exception {
    return steps(source.resolve(id + ".trace.jsonl")).stream()
        .filter(r -> r.path("step_index").asInt() < k)
        .mapToDouble(r -> r.path("step_cost_usd").asDouble()).sum();
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  /**
   * Gives the copy a run id of its own whose journal records step {@code step}'s first command
   * with an exit code 7 higher than it gave: the world the copy remembers is not the one a fresh
   * sandbox replays. Returns the exit code it now records.
   */
  private static int tamper(Path copy, Path source, int step) throws Exception {
    String runId = LiveRunChecks.json(source.resolve("run.json")).path("run_id").asText();
    var config = JournalDatabase.h2(copy).pekkoConfig().withFallback(SETTINGS.raw());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tamper", config);
    Duration t = Duration.ofSeconds(20);
    try {
      ActorRef<CaseJournal.Command> original = system.systemActorOf(
          CaseJournal.create(runId, CASE), "original", Props.empty());
      CaseJournal.History h = AskPattern.<CaseJournal.Command, CaseJournal.History>ask(original,
          CaseJournal.Load::new, t, system.scheduler()).toCompletableFuture().get();
      ActorRef<CaseJournal.Command> other = system.systemActorOf(
          CaseJournal.create("tampered", CASE), "tampered", Props.empty());
      int recorded = -1;
      for (RecordedStep s : h.steps()) {
        RecordedStep written = s;
        if (s.stepIndex() == step) {
          ObjectNode payload = (ObjectNode) Json.MAPPER.readTree(s.payloadJson());
          ObjectNode first = (ObjectNode) payload.path("observations").get(0);
          recorded = first.path("exitCode").asInt() + 7;
          first.put("exitCode", recorded);
          var actions = new ArrayList<>(s.actions());
          actions.set(0, new RecordedStep.RecordedAction(actions.get(0).command(), recorded));
          written = new RecordedStep(s.stepIndex(), s.modelId(), s.costUsd(), actions,
              payload.toString());
        }
        RecordedStep w = written;
        AskPattern.<CaseJournal.Command, CaseJournal.Ack>ask(other,
            ack -> new CaseJournal.RecordStep(w, ack), t, system.scheduler())
            .toCompletableFuture().get();
      }
      ObjectNode run = (ObjectNode) LiveRunChecks.json(copy.resolve("run.json"));
      run.put("run_id", "tampered");
      Files.writeString(copy.resolve("run.json"), run.toString());
      return recorded;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get();
    }
  }
}
