package io.twinrouter.orchestrator.derive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.bank.json.PyJson;
import io.twinrouter.common.Json;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.ProgressBar;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.PoolFiles;
import io.twinrouter.router.PrefixFingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code static derive}: runs downgrade and cascade ({@link TaskSearch}) for every task, batching
 * the next trial of each task into one supervised live run ({@link TrialBatch}) at a time, with
 * every finished trial cached in the work directory ({@link TrialLog}); then writes the bank
 * ({@link BankRows}) and its manifest ({@link DeriveManifest}).
 */
public final class Derivation {

  /**
   * @param trialsRun trials this invocation ran; {@code trialsReused} came from the work directory
   */
  public record Result(Path bank, Path manifest, int tasks, int kept, int rows, int trialsRun,
      int trialsReused) {}

  private static final ObjectMapper JSON = Json.MAPPER;
  /** Steps a task is assumed to take before its seed ran (for the progress estimate). */
  private static final int STEPS_GUESS = 12;

  private final DeriveOptions options;
  private final TwinrouterSettings settings;

  public Derivation(DeriveOptions options, TwinrouterSettings settings) {
    this.options = options;
    this.settings = settings;
  }

  /**
   * @param progress whether to draw a progress bar (trials done of estimated) on stderr
   * @throws IllegalArgumentException for bad input (tasks, ids, pool file), or a work directory
   *     made with other settings
   */
  public Result run(boolean progress) throws IOException, InterruptedException {
    Path work = options.workDir();
    Files.createDirectories(work);
    List<TaskInstance> tasks = TaskSuite.open(options.tasks(), work.resolve("suite"));
    if (options.instanceIds().isPresent()) {
      tasks = TaskSuite.select(tasks, TaskSuite.readInstanceIds(options.instanceIds().get()));
    }
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("--tasks " + options.tasks() + ": no tasks selected");
    }
    ModelPool pool = LiveRunOptions.SIM.equals(options.pool())
        ? settings.pool() : PoolFiles.load(Path.of(options.pool()));
    checkWorkDir(work, pool);

    List<TaskSearch> searches = new ArrayList<>();
    Map<String, TaskSearch> byId = new LinkedHashMap<>();
    for (TaskInstance t : tasks) {
      TaskSearch s = new TaskSearch(t.instanceId(), pool);
      searches.add(s);
      byId.put(t.instanceId(), s);
    }
    TrialLog log = TrialLog.open(work.resolve("trials.jsonl"));
    TrialBatch batches = new TrialBatch(options, settings, pool.highBaseline().modelId());
    int ran = 0;
    int reused = 0;
    try (ProgressBar bar = progress ? new ProgressBar("derive trials", estimate(searches)) : null) {
      while (true) {
        Map<String, List<String>> batch = new LinkedHashMap<>();
        for (TaskSearch s : searches) {
          while (!s.done()) {
            List<String> plan = s.nextPlan().orElseThrow();
            var cached = log.find(s.instanceId(), plan);
            if (cached.isEmpty()) {
              batch.put(s.instanceId(), plan);
              break;
            }
            s.onOutcome(cached.get());
            reused++;
          }
        }
        int done = ran + reused;
        if (bar != null) {
          bar.retotal(done + estimate(searches));
          bar.update(done, batch.size() + " running");
        }
        if (batch.isEmpty()) {
          break;
        }
        int[] finishedInBatch = {0};
        List<TrialOutcome> outcomes = batches.run(batch, id -> {
          if (bar != null) {
            bar.update(done + ++finishedInBatch[0], "");
          }
        });
        for (TrialOutcome o : outcomes) {
          log.record(o);
          byId.get(o.instanceId()).onOutcome(o);
          ran++;
        }
      }
    }

    List<ObjectNode> rows = new ArrayList<>();
    String subset = TaskSuite.BUNDLED.equals(options.tasks())
        ? TaskSuite.BUNDLED : Path.of(options.tasks()).getFileName().toString();
    String fingerprint = PrefixFingerprint.poolFingerprint(pool.modelIds());
    String notes = "Target tiers derived by downgrade and cascade (TwinRouterBench Algorithm A1) "
        + "for pool " + fingerprint + " with seed " + options.seed()
        + "; each label holds for that pool only.";
    int kept = 0;
    for (TaskSearch s : searches) {
      if (!s.kept()) {
        continue;
      }
      kept++;
      rows.addAll(BankRows.rows(TrialBatch.runDir(options, s.finalTrajectory()), s.instanceId(),
          s.targets(), subset, notes));
    }
    StringBuilder bank = new StringBuilder();
    for (ObjectNode r : rows) {
      bank.append(PyJson.dumps(r)).append('\n');
    }
    byte[] bytes = bank.toString().getBytes(StandardCharsets.UTF_8);
    writeAtomically(options.out().toAbsolutePath(), bytes);
    ObjectNode manifest = DeriveManifest.build(options, pool, fingerprint, searches, rows.size(),
        bytes, ran, reused);
    writeAtomically(options.manifestFile(),
        (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n")
            .getBytes(StandardCharsets.UTF_8));
    return new Result(options.out().toAbsolutePath(), options.manifestFile(), searches.size(),
        kept, rows.size(), ran, reused);
  }

  private static long estimate(List<TaskSearch> searches) {
    long n = 0;
    for (TaskSearch s : searches) {
      n += s.remainingEstimate(STEPS_GUESS);
    }
    return n;
  }

  /**
   * Trials are cached by task and plan only, so a work directory must not be reused with another
   * seed, pool, sandbox or task source: that would mix outcomes of different experiments.
   */
  private void checkWorkDir(Path work, ModelPool pool) throws IOException {
    ObjectNode identity = JSON.createObjectNode();
    identity.put("tasks", options.tasks());
    identity.put("pool", options.pool());
    identity.put("pool_fingerprint", PrefixFingerprint.poolFingerprint(pool.modelIds()));
    identity.put("sandbox", options.sandbox());
    identity.put("seed", options.seed());
    Path f = work.resolve("derive.json");
    if (Files.isRegularFile(f)) {
      JsonNode earlier = JSON.readTree(f.toFile());
      if (!earlier.toString().equals(identity.toString())) {
        throw new IllegalArgumentException(work + " holds trials of another derivation ("
            + earlier + "); use another --out or remove that directory");
      }
      return;
    }
    writeAtomically(f, JSON.writeValueAsBytes(identity));
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
