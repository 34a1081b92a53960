package io.twinrouter.orchestrator.derive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cache of finished trials, keyed by instance and plan, kept as JSON lines in the work
 * directory ({@code trials.jsonl}) so a rerun skips every trial already done. A plan names the
 * whole locked prefix, so a changed upstream lock is a different key: an entry can never be
 * reused for a trajectory whose earlier steps differ (the paper's cache invalidation).
 */
final class TrialLog {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final Path file;
  private final Map<String, TrialOutcome> byKey = new HashMap<>();

  private TrialLog(Path file) {
    this.file = file;
  }

  /** Reads the log; a last line cut short by a killed run is ignored (that trial runs again). */
  static TrialLog open(Path file) {
    TrialLog log = new TrialLog(file);
    if (Files.isRegularFile(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          try {
            TrialOutcome t = JSON.readValue(line, TrialOutcome.class);
            log.byKey.put(key(t.instanceId(), t.plan()), t);
          } catch (IOException torn) {
            // a half-written line: the trial is simply not cached
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return log;
  }

  Optional<TrialOutcome> find(String instanceId, List<String> plan) {
    return Optional.ofNullable(byKey.get(key(instanceId, plan)));
  }

  void record(TrialOutcome t) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, JSON.writeValueAsString(t) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    byKey.put(key(t.instanceId(), t.plan()), t);
  }

  static String key(String instanceId, List<String> plan) {
    return instanceId + "|" + String.join(",", plan);
  }
}
