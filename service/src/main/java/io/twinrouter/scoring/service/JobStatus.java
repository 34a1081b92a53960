package io.twinrouter.scoring.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * What {@code GET /v1/jobs/{id}} answers: an immutable snapshot of one job.
 *
 * @param summary the static-track summary once the job is done, else null
 * @param error why the job failed (not a router error of one row: those are error rows of the
 *     summary), else null
 */
@JsonPropertyOrder({"id", "kind", "bank", "router", "status", "progress", "summary", "error"})
public record JobStatus(
    String id,
    String kind,
    String bank,
    String router,
    State status,
    Progress progress,
    @JsonInclude(JsonInclude.Include.ALWAYS) ObjectNode summary,
    @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

  public enum State {
    RUNNING,
    DONE,
    FAILED;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Rows done out of total; {@code errors} counts rows whose router call failed. */
  public record Progress(int done, int total, int errors) {
    @JsonProperty("fraction")
    public double fraction() {
      return total == 0 ? 1.0 : (double) done / total;
    }
  }

  public static JobStatus started(String id, String kind, String bank, String router, int total) {
    return new JobStatus(
        id, kind, bank, router, State.RUNNING, new Progress(0, total, 0), null, null);
  }

  public boolean finished() {
    return status != State.RUNNING;
  }

  JobStatus withProgress(Progress p) {
    return new JobStatus(id, kind, bank, router, status, p, summary, error);
  }

  JobStatus done(ObjectNode summary) {
    return new JobStatus(id, kind, bank, router, State.DONE, progress, summary, null);
  }

  JobStatus failed(String why) {
    return new JobStatus(id, kind, bank, router, State.FAILED, progress, null, why);
  }
}
