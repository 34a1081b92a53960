package io.twinrouter.orchestrator.live;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.records.TraceWriter;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.scoring.json.PythonJsonWriter;
import io.twinrouter.scoring.live.CaseOutcome;
import io.twinrouter.scoring.live.LedgerCheck;
import io.twinrouter.scoring.live.LiveScorer;
import io.twinrouter.scoring.live.RunDirectory;
import io.twinrouter.scoring.live.RunEnding;
import io.twinrouter.scoring.live.RunIdentity;
import io.twinrouter.scoring.live.ScoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The run directory's files beyond the per-case ones (reference layout, live-track spec 4.6 and
 * 5.2): {@code preds.json} in SWE-bench's format, {@code eval_summary.json}, {@code score.json},
 * and {@code run.json} (twinrouter's own: the run id and options, so a rerun resumes the run).
 */
public final class RunOutputs {
  /** Reads what {@link #write} wrote (bare {@code Infinity} included); pretty for stdout. */
  static final ObjectMapper JSON = JsonMapper.builder()
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private RunOutputs() {}

  public static Path resultFile(Path out, String id) {
    return out.resolve("results").resolve(id + ".json");
  }

  /**
   * The cases already finished in {@code out}: a {@code results/<id>.json} that parses into an
   * object naming the instance (the reference's resume key; its verdict is reused, never re-run).
   */
  public static Set<String> finishedCases(Path out, List<String> ids) {
    Set<String> done = new LinkedHashSet<>();
    for (String id : ids) {
      Path f = resultFile(out, id);
      if (!Files.isRegularFile(f)) {
        continue;
      }
      try {
        JsonNode r = JSON.readTree(f.toFile());
        if (r != null && r.isObject() && id.equals(r.path("instance_id").asText())) {
          done.add(id);
        }
      } catch (IOException e) {
        // a torn write of a killed run: the case runs again
      }
    }
    return done;
  }

  /** {@code {id: {model_name_or_path, instance_id, model_patch}}} from every result file. */
  public static ObjectNode preds(Path out, String modelName) {
    ObjectNode preds = JSON.createObjectNode();
    for (JsonNode r : results(out)) {
      String id = r.path("instance_id").asText();
      ObjectNode p = preds.putObject(id);
      p.put("model_name_or_path", modelName);
      p.put("instance_id", id);
      p.put("model_patch", r.path("patch").isTextual() ? r.path("patch").asText() : "");
    }
    return preds;
  }

  /** The reference's score.json of the run directory, plus how the run ended (cut short?). */
  public static ObjectNode score(Path out, RunIdentity identity, ScoreOptions options) {
    return score(out, identity, options, Map.of(), null);
  }

  /**
   * The score with an official regrade's verdicts in place of twinrouter's ({@code
   * swebench_report} lists where they disagree and which cases the report lacks).
   *
   * @param regrade instance id to resolved, as {@link SwebenchReports} reads them
   * @param regradeSource where the verdicts came from, or null when there are none
   */
  public static ObjectNode score(Path out, RunIdentity identity, ScoreOptions options,
      Map<String, Boolean> regrade, String regradeSource) {
    return score(out, identity, options, regrade, regradeSource, RunDirectory.RECORDED_COST);
  }

  /**
   * @param stepCost the cost of a trace's step row: as billed, or repriced ({@code live score
   *     --reprice})
   */
  public static ObjectNode score(Path out, RunIdentity identity, ScoreOptions options,
      Map<String, Boolean> regrade, String regradeSource, ToDoubleFunction<JsonNode> stepCost) {
    List<CaseOutcome> own = RunDirectory.read(out, stepCost);
    List<CaseOutcome> cases = new ArrayList<>();
    ArrayNode disagreements = JSON.createArrayNode();
    ArrayNode missing = JSON.createArrayNode();
    for (CaseOutcome c : own) {
      Boolean official = regrade.get(c.instanceId());
      if (official == null) {
        missing.add(c.instanceId());
        cases.add(c);
        continue;
      }
      if (official != c.resolved()) {
        disagreements.addObject().put("instance_id", c.instanceId())
            .put("twinrouter_resolved", c.resolved()).put("swebench_resolved", official);
      }
      cases.add(new CaseOutcome(c.instanceId(), official, c.stepCount(), c.apiCostUsd(),
          c.modelDistribution(), c.patchApplied(), c.agentError(), c.evalError()));
    }
    // run_dir as the reference fills it: the run directory (absolute, as the run hosts report it)
    ObjectNode score = LiveScorer.score(identity.withRunDir(out.toAbsolutePath().toString()), cases, options);
    JsonNode summary = readIfPresent(out.resolve("eval_summary.json"));
    // the ledger is read again from the traces, so a run scored before it existed has it too
    Map<String, JsonNode> ledger = LedgerCheck.read(out).facts();
    if (summary != null) {
      List<String> infra = new ArrayList<>();
      summary.path("errors").forEach(e -> infra.add(e.path("instance_id").asText()));
      Map<String, JsonNode> facts = new LinkedHashMap<>(RunEnding.runFactsOf(summary));
      facts.putAll(ledger);
      new RunEnding(summary.path("run_id").asText(), summary.path("budget_reached").asBoolean(false),
          summary.hasNonNull("budget_usd") ? Optional.of(summary.get("budget_usd").asDouble())
              : Optional.empty(),
          summary.path("not_started").size(), infra, facts).addTo(score);
    } else {
      ledger.forEach(score::set);
    }
    if (regradeSource != null) {
      ObjectNode r = score.putObject("swebench_report");
      r.put("path", regradeSource);
      r.set("disagreements", disagreements);
      r.set("not_in_report", missing);
    }
    return score;
  }

  static final String SANDBOX = "sandbox";

  /**
   * The sandbox the cases ran and were graded in, so a number can be compared with SWE-bench's:
   * its harness grades with network and without limits, twinrouter's sandboxes have no network
   * and the configured limits; {@code grading} says what the grading sandbox had
   * ({@code twinrouter.sandbox.grading}).
   */
  static void addSandbox(ObjectNode summary,
      io.twinrouter.sandbox.SandboxSettings s) {
    ObjectNode o = summary.putObject(SANDBOX);
    o.put("backend", s.backend());
    o.put("network", false);
    o.put("memory_bytes", s.limits().memoryBytes());
    o.put("cpus", s.limits().nanoCpus() / 1e9);
    o.put("pids", s.limits().pids());
    o.put("output_limit_bytes", s.outputLimitBytes());
    ObjectNode g = o.putObject("grading");
    g.put("network", s.grading().network());
    g.put("memory_bytes", s.grading().limits().memoryBytes());
    g.put("cpus", s.grading().limits().nanoCpus() / 1e9);
    g.put("pids", s.grading().limits().pids());
    g.put("output_limit_bytes", s.grading().outputLimitBytes());
  }

  /** Where the agent's settings are recorded: the shell its commands ran in, its limits. */
  static final String AGENT = "agent";

  /**
   * Records how the agent ran, so a number can be set beside mini-swe-agent's: the interpreter
   * ({@code bash -c} as mini's SWE-bench config, or {@code bash -lc}), the limits, and the
   * mini-swe-agent config file when the run used one.
   */
  static void addAgent(ObjectNode summary, io.twinrouter.agent.loop.AgentSettings agent,
      io.twinrouter.config.LiveTrackSettings limits) {
    ObjectNode o = summary.putObject(AGENT);
    var interpreter = o.putArray("interpreter");
    agent.shell().interpreter().forEach(interpreter::add);
    o.put("action_format", agent.actionFormat() == io.twinrouter.agent.loop.ActionFormat.TEXT
        ? "text" : "tool_calls");
    o.put("step_limit", limits.stepLimit());
    o.put("cost_limit_usd", limits.costLimitUsd());
    o.put("command_timeout_s", limits.commandTimeout().toMillis() / 1000.0);
    if (agent.agentConfigFile().isBlank()) {
      o.putNull("agent_config_file");
    } else {
      o.put("agent_config_file", agent.agentConfigFile());
      // the file's keys that chose mini's own model or container, which this run did not use
      var superseded = o.putArray("superseded_keys");
      io.twinrouter.agent.loop.MiniConfig.load(java.nio.file.Path.of(agent.agentConfigFile()))
          .superseded().forEach(superseded::add);
    }
  }

  static final String ROUTER = "router";

  /**
   * How the run treated its router ({@code --router-timeout}, {@code --on-router-error}) and how
   * many steps fell back to a tier after a failed router call: a score earned with fallbacks is
   * not the router's alone. The steps are counted in the run directory's traces, so a resumed
   * run counts those of earlier invocations too.
   */
  public static void addRouter(ObjectNode summary, LiveTrackSettings live, Path out) {
    ObjectNode o = summary.putObject(ROUTER);
    o.put("timeout_sec", live.selectTimeout().toMillis() / 1000.0);
    o.put("on_error", live.onRouterError().wireName());
    o.put("fallback_steps", fallbackSteps(out));
  }

  /** Trace rows of the run marked {@code router_fallback}. */
  static long fallbackSteps(Path out) {
    long n = 0;
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".trace.jsonl")).toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (line.contains(TraceWriter.ROUTER_FALLBACK)
              && JSON.readTree(line).path(TraceWriter.ROUTER_FALLBACK).asBoolean(false)) {
            n++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the traces in " + out, e);
    }
    return n;
  }

  /** Where the rows {@code --skip-unsupported} left out are listed, with their reasons. */
  static final String UNSUPPORTED_SKIPPED = "unsupported_skipped";

  /** Lists the rows left out as unsupported, so the score says it covers fewer rows. */
  static void addSkipped(ObjectNode summary, List<TaskSupport.Unsupported> skipped) {
    if (skipped.isEmpty()) {
      return;
    }
    var list = summary.putArray(UNSUPPORTED_SKIPPED);
    skipped.forEach(u -> list.addObject().put("instance_id", u.instanceId()).put("reason", u.why()));
  }

  public static List<JsonNode> results(Path out) {
    Path dir = out.resolve("results");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    TreeMap<String, JsonNode> byId = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode r = readIfPresent(f);
        if (r != null && r.isObject()) {
          byId.put(r.path("instance_id").asText(), r);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(byId.values());
  }

  public static JsonNode readIfPresent(Path f) {
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return JSON.readTree(f.toFile());
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Writes JSON as the reference's Python does ({@code indent=2}, Python floats, bare
   * {@code Infinity}), through a temporary file and a rename, so a killed run never leaves half a
   * file.
   */
  public static void write(Path file, JsonNode json) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, PythonJsonWriter.write(json), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
