package io.twinrouter.scoring.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.scoring.json.PythonJsonWriter;
import io.twinrouter.scoring.service.StaticEvaluations.BodyFormat;
import io.twinrouter.scoring.service.StaticEvaluations;
import io.twinrouter.scoring.statictrack.StaticScorer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.StringUnmarshallers;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /v1/static/banks/{bank}/score}: a prediction file in the body (JSONL or a JSON
 * array), the summary of {@code static score --json} in the answer. Parsing and scoring run on
 * the scoring dispatcher, never on the HTTP or actor threads.
 */
public final class ScoreRoutes {
  /** The summary's {@code classifier} when the request names none. */
  public static final String DEFAULT_LABEL = "http";

  private final ScoringClient scoring;
  private final StaticEvaluations statics;
  private final Executor scoringExecutor;

  public ScoreRoutes(ScoringClient scoring, StaticEvaluations statics, Executor scoringExecutor) {
    this.scoring = scoring;
    this.statics = statics;
    this.scoringExecutor = scoringExecutor;
  }

  public Route routes() {
    return path(PathMatchers.segment("v1").slash("static").slash("banks").slash(PathMatchers.segment()).slash("score"),
        bank -> post(() -> parameterOptional("label", label ->
            parameterOptional(StringUnmarshallers.INTEGER, "sample", sample ->
                parameterOptional(StringUnmarshallers.LONG, "seed", seed ->
                    extractRequestEntity(requestEntity -> {
                      BodyFormat format = MediaTypes.predictionFormat(requestEntity.getContentType());
                      sample.filter(n -> n < 1).ifPresent(n -> {
                        throw ApiException.badRequest("query parameter 'sample' must be >= 1, got " + n);
                      });
                      String name = label.orElse(DEFAULT_LABEL);
                      long seedValue = seed.orElse(StaticScorer.DEFAULT_SEED);
                      if (isUtf8(requestEntity.getContentType())) {
                        // the common case: parsed from the bytes, no decoded copy of the body
                        return onSuccess(scoring.bank(bank), served ->
                            entity(Unmarshaller.entityToByteArray(), body -> onSuccess(
                                score(() -> statics.score(served, body, format, name, sample, seedValue)),
                                ScoreRoutes::completeJson)));
                      }
                      return onSuccess(scoring.bank(bank), served ->
                          entity(Unmarshaller.entityToString(), body -> onSuccess(
                              score(() -> statics.score(served, body, format, name, sample, seedValue)),
                              ScoreRoutes::completeJson)));
                    }))))));
  }

  /** No charset (JSON and JSONL are UTF-8) or UTF-8 itself; another charset is decoded as text. */
  private static boolean isUtf8(ContentType type) {
    return type.getCharsetOption().map(c -> c.nioCharset().equals(StandardCharsets.UTF_8)).orElse(true);
  }

  /**
   * Scores and writes the summary on the scoring dispatcher: the Python-style text of a summary
   * costs a third as much as the scoring, too much for the HTTP threads.
   */
  private CompletionStage<byte[]> score(java.util.function.Supplier<ObjectNode> work) {
    return CompletableFuture.supplyAsync(() -> summaryBytes(work.get()), scoringExecutor);
  }

  /** The bytes {@code static score --json} prints: Python's float repr, bare NaN. */
  static byte[] summaryBytes(ObjectNode summary) {
    return PythonJsonWriter.write(summary).getBytes(StandardCharsets.UTF_8);
  }

  private static Route completeJson(byte[] json) {
    return complete(HttpResponse.create().withStatus(StatusCodes.OK).withEntity(HttpEntities.create(
        ContentTypes.APPLICATION_JSON, json)));
  }
}
