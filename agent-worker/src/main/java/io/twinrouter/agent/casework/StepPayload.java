package io.twinrouter.agent.casework;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.common.Json;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.sandbox.ExecResult;
import java.time.Duration;
import java.util.List;

/**
 * What a journalled step keeps so a resumed case can rebuild its loop without the model: the
 * inputs the loop consumed in that step (the router's decision with its tier and decision time,
 * the model's answer, each command's exit code and output and the clock reading taken with it). Feeding them to a fresh {@code CaseLoop} in order
 * rebuilds the messages, the trace row, the counters, the spend and the harness cache exactly as
 * they were, because the loop itself does no I/O.
 *
 * @param observations the results of the step's commands that ran, in order (fewer than the
 *     step's actions when one of them submitted)
 */
record StepPayload(RouterDecision decision, ModelTurn turn, List<Observation> observations) {

  /**
   * One command's result as the loop saw it (exit code, output, how long it ran) and the
   * wall-clock reading the loop stamped on it. The sandbox's result is kept in these plain fields,
   * so the payload needs no date-time types.
   */
  record Observation(int exitCode, String output, long durationMs, double ts) {

    static Observation of(ExecResult result, double ts) {
      return new Observation(result.exitCode(), result.combinedOutput(),
          result.duration().toMillis(), ts);
    }

    /** The result again, as the sandbox gave it to the loop (its output merged in stdout). */
    @JsonIgnore
    ExecResult result() {
      return new ExecResult(exitCode, output, "", Duration.ofMillis(durationMs), false);
    }
  }

  private static final ObjectMapper JSON = Json.TOLERANT;

  StepPayload {
    observations = List.copyOf(observations);
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a step payload could not be written: " + e.getMessage(), e);
    }
  }

  static StepPayload fromJson(String json) {
    try {
      return JSON.readValue(json, StepPayload.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a journalled step payload is unreadable: "
          + e.getOriginalMessage(), e);
    }
  }
}
