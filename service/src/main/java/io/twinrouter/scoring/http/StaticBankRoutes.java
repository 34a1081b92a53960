package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.router.RouterJson;
import io.twinrouter.scoring.service.ServedBank;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.StringUnmarshallers;

/**
 * {@code GET /v1/static/banks} and {@code GET /v1/static/banks/{bank}/prefixes}: what a router
 * may see of the banks. Each prefix is the very context an HTTP router is sent for that row
 * ({@link StaticEvaluations#context}, serialised as {@link RouterJson#contextBytes}): never a
 * label, and none of the row's other fields ({@code total_steps} tells how far the trajectory is
 * from its end).
 */
public final class StaticBankRoutes {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final ScoringClient scoring;
  private final StaticEvaluations statics;

  public StaticBankRoutes(ScoringClient scoring, StaticEvaluations statics) {
    this.scoring = scoring;
    this.statics = statics;
  }

  /** The page of prefixes; {@code total} is the bank's row count. */
  public record PrefixPage(String bank, int offset, int limit, int total, List<JsonNode> rows) {}

  public Route routes() {
    return pathPrefix(PathMatchers.segment("v1").slash("static").slash("banks"), () -> concat(
        pathEnd(() -> get(() -> onSuccess(scoring.banks(), banks ->
            complete(StatusCodes.OK, Map.of("banks", banks.stream().map(ServedBank::info).toList()), JsonSupport.json())))),
        path(PathMatchers.segment().slash("prefixes"), bank -> get(() -> prefixes(bank)))));
  }

  private Route prefixes(String bankName) {
    return parameterOptional(StringUnmarshallers.INTEGER, "offset", offset ->
        parameterOptional(StringUnmarshallers.INTEGER, "limit", limit -> {
          int from = offset.orElse(0);
          int size = limit.orElse(DEFAULT_LIMIT);
          if (from < 0) {
            throw ApiException.badRequest("query parameter 'offset' must be >= 0, got " + from);
          }
          if (size < 1 || size > MAX_LIMIT) {
            throw ApiException.badRequest(
                "query parameter 'limit' must be in 1.." + MAX_LIMIT + ", got " + size);
          }
          return onSuccess(scoring.bank(bankName), bank -> complete(
              StatusCodes.OK, page(bank, from, size), JsonSupport.json()));
        }));
  }

  private PrefixPage page(ServedBank bank, int offset, int limit) {
    int from = Math.min(offset, bank.rows());
    int to = Math.min(bank.rows(), from + limit);
    List<JsonNode> rows = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      try {
        rows.add(JsonSupport.MAPPER.readTree(RouterJson.contextBytes(statics.context(bank, i))));
      } catch (IOException e) {
        throw new UncheckedIOException("a context we wrote does not parse", e);
      }
    }
    return new PrefixPage(bank.name(), offset, limit, bank.rows(), rows);
  }
}
