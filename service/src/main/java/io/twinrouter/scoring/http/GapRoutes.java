package io.twinrouter.scoring.http;

import io.twinrouter.common.Failures;
import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.scoring.gap.GapService;
import io.twinrouter.scoring.service.ServedBank;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/gap?bank=NAME&runs=LABEL,LABEL}: the gap report (static scores beside live
 * results, agreement, paired tests) of the run directories the service was started with ({@code
 * serve --gap-runs}), on one served bank. {@code bank} may be left out when one bank is served;
 * {@code runs} selects routers by label (default: every run).
 */
public final class GapRoutes {
  public static final List<ApiRoutes.Endpoint> ENDPOINTS = List.of(new ApiRoutes.Endpoint("GET", "/v1/gap"));
  /**
   * The first report on a bank routes it with each built-in router and bootstraps every run: on a
   * busy 2-core machine that outlasted the server's default 20 s request timeout (the client then
   * got a plain-text 503), so this route allows longer.
   */
  private static final Duration REPORT_TIMEOUT = Duration.ofMinutes(3);

  private final ScoringClient scoring;
  private final GapService gap;

  public GapRoutes(ScoringClient scoring, GapService gap) {
    this.scoring = scoring;
    this.gap = gap;
  }

  public Route routes() {
    return path(PathMatchers.segment("v1").slash("gap"), () -> get(() -> withRequestTimeout(REPORT_TIMEOUT, () ->
        parameterOptional("bank", bank -> parameterOptional("runs", runs -> {
          Optional<List<String>> labels = runs.map(r -> Arrays.stream(r.split(","))
              .map(String::strip).filter(s -> !s.isEmpty()).toList());
          CompletionStage<ObjectNode> report = bank(bank)
              .thenCompose(b -> gap.report(b, labels))
              .exceptionally(GapRoutes::asClientError);
          return onSuccess(report, r -> complete(StatusCodes.OK, r, JsonSupport.json()));
        })))));
  }

  private CompletionStage<ServedBank> bank(Optional<String> name) {
    if (name.isPresent()) {
      return scoring.bank(name.get());
    }
    return scoring.banks().thenApply(banks -> {
      if (banks.size() != 1) {
        throw ApiException.badRequest("query parameter 'bank' is required when "
            + banks.size() + " banks are served");
      }
      return banks.get(0);
    });
  }

  /** A run, prediction file or router the report cannot use is the caller's to fix: 400. */
  private static ObjectNode asClientError(Throwable failure) {
    Throwable cause = Failures.cause(failure);
    if (cause instanceof GapService.GapInputException bad) {
      throw new ApiException(StatusCodes.BAD_REQUEST, "bad_gap_input", bad.getMessage());
    }
    throw failure instanceof CompletionException c ? c : new CompletionException(failure);
  }
}
