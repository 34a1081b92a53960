package io.twinrouter.scoring.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What the service shows of a live run: immutable snapshots the registry hands out. */
public final class LiveRunView {
  private LiveRunView() {}

  /** The states a case goes through; {@code not_started} when the budget kept it back. */
  public enum CaseState {
    @JsonProperty("queued") QUEUED,
    @JsonProperty("running") RUNNING,
    @JsonProperty("restarting") RESTARTING,
    @JsonProperty("finished") FINISHED,
    @JsonProperty("infra_error") INFRA_ERROR,
    @JsonProperty("not_started") NOT_STARTED
  }

  /** Case counts by state. */
  public record Progress(
      @JsonProperty("total") int total,
      @JsonProperty("queued") int queued,
      @JsonProperty("running") int running,
      @JsonProperty("restarting") int restarting,
      @JsonProperty("finished") int finished,
      @JsonProperty("infra_errors") int infraErrors,
      @JsonProperty("not_started") int notStarted) {}

  /**
   * One run in the list.
   *
   * @param status {@code running} until the run's files are written, then {@code finished}
   * @param spendUsd the run's spend so far, failed attempts included
   * @param resolved finished cases resolved so far
   */
  public record Summary(
      @JsonProperty("id") String id,
      @JsonProperty("router") String router,
      @JsonProperty("status") String status,
      @JsonProperty("run_dir") String runDir,
      @JsonProperty("progress") Progress progress,
      @JsonProperty("steps") long steps,
      @JsonProperty("spend_usd") double spendUsd,
      @JsonProperty("resolved") int resolved) {

    public boolean finished() {
      return "finished".equals(status);
    }
  }

  /**
   * One case of a run.
   *
   * @param resolved null until the case finished with a verdict
   * @param restarts restarts after infrastructure failures so far
   * @param detail why a case was given up, else null
   */
  public record Case(
      @JsonProperty("instance_id") String instanceId,
      @JsonProperty("state") CaseState state,
      @JsonProperty("steps") int steps,
      @JsonProperty("spend_usd") double spendUsd,
      @JsonProperty("resolved") Boolean resolved,
      @JsonProperty("restarts") int restarts,
      @JsonProperty("exit_status") String exitStatus,
      @JsonProperty("detail") String detail) {}

  /** A run with each of its cases, in the run's order. */
  public record Detail(@JsonProperty("run") Summary run, @JsonProperty("cases") List<Case> cases) {
    public Detail {
      cases = List.copyOf(cases);
    }
  }
}
