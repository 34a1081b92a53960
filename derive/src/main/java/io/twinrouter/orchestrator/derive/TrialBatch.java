package io.twinrouter.orchestrator.derive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.common.Json;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.RunOutputs;
import io.twinrouter.orchestrator.run.RunEvent;
import io.twinrouter.router.derive.DerivationRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs trials of several tasks at once (one plan per task) as one supervised live run: the live
 * machinery end to end (case actors, sandboxes, SWE-bench grading, journal, the simulated pool),
 * with a {@link DerivationRouter} forcing each step's model. The run directory is named by a hash
 * of the plans, so a batch cut short by a crash is resumed, not repeated, by the next invocation.
 */
final class TrialBatch {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final DeriveOptions options;
  private final TwinrouterSettings settings;
  private final String highModel;

  TrialBatch(DeriveOptions options, TwinrouterSettings settings, String highModel) {
    this.options = options;
    this.settings = settings;
    this.highModel = highModel;
  }

  /**
   * Runs the plans (instance id to plan) and returns each trial's outcome, in the map's order.
   *
   * @param finished hears each case id as its case finishes (for the progress bar)
   * @throws IllegalStateException when a case ended as an infrastructure error (rerun to retry)
   */
  List<TrialOutcome> run(Map<String, List<String>> plans, Consumer<String> finished)
      throws IOException, InterruptedException {
    // the work directory is in the hash: run ids label sandboxes, and two derivations running at
    // once must never reap each other's
    String name = "batch-" + hash(options.workDir().toString(), plans);
    Path dir = options.workDir().resolve("runs").resolve(name);
    Files.createDirectories(dir);
    Path ids = dir.resolve("instance-ids.txt");
    Files.writeString(ids, String.join("\n", plans.keySet()) + "\n", StandardCharsets.UTF_8);
    LiveRunOptions live = LiveRunOptions.of(options.tasks(), "derive", options.sandbox(), dir)
        .withPool(options.pool())
        .withWorkers(options.workers())
        .withSeed(options.seed())
        .withInstanceIds(ids)
        .withRunId(name);
    Consumer<RunEvent> events = e -> {
      if (e instanceof RunEvent.CaseFinished f) {
        finished.accept(f.result().caseId());
      }
    };
    LiveRun.Outcome outcome = new LiveRun(live, settings)
        .withRouter(new DerivationRouter(plans, highModel))
        .run(events, false);
    if (!outcome.infrastructureErrors().isEmpty()) {
      throw new IllegalStateException("trial(s) of " + outcome.infrastructureErrors()
          + " ended as infrastructure errors (see " + dir + "); rerun static derive to retry them");
    }
    List<TrialOutcome> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : plans.entrySet()) {
      out.add(read(dir, e.getKey(), e.getValue()));
    }
    return out;
  }

  private TrialOutcome read(Path dir, String instanceId, List<String> plan) {
    Path f = RunOutputs.resultFile(dir, instanceId);
    JsonNode r;
    try {
      r = JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("trial of " + instanceId + " left no readable " + f, e);
    }
    return new TrialOutcome(instanceId, plan, r.path("resolved").asBoolean(),
        r.path("step_count").asInt(), r.path("total_router_cost_usd").asDouble(),
        r.path("finished_by").asText(""),
        options.workDir().relativize(dir).toString());
  }

  /** Where a trial's files are: its run directory under the work directory. */
  static Path runDir(DeriveOptions options, TrialOutcome t) {
    return options.workDir().resolve(t.runDir());
  }

  private static String hash(String workDir, Map<String, List<String>> plans) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(workDir.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      for (Map.Entry<String, List<String>> e : new LinkedHashMap<>(plans).entrySet()) {
        sha.update(TrialLog.key(e.getKey(), e.getValue()).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
