package io.twinrouter.scoring.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.router.Router;
import io.twinrouter.scoring.statictrack.Prediction;
import io.twinrouter.scoring.statictrack.PredictionLines;
import io.twinrouter.scoring.statictrack.Predictions;
import io.twinrouter.scoring.statictrack.StaticScorer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The work of an evaluation: asks a router for every row of a bank ({@link RowRouting}) and
 * scores the answers; a failed call is an error row whose text is the failure's message.
 */
public final class EvaluationJob implements JobWork {
  private final ServedBank bank;
  private final Router router;
  private final String routerLabel;
  private final int concurrency;
  private final StaticEvaluations statics;
  private final Executor scoringExecutor;

  public EvaluationJob(ServedBank bank, Router router, String routerLabel, int concurrency,
      StaticEvaluations statics, Executor scoringExecutor) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.bank = bank;
    this.router = router;
    this.routerLabel = routerLabel;
    this.concurrency = concurrency;
    this.statics = statics;
    this.scoringExecutor = scoringExecutor;
  }

  @Override
  public String kind() {
    return "evaluation";
  }

  @Override
  public String bank() {
    return bank.name();
  }

  @Override
  public String router() {
    return routerLabel;
  }

  @Override
  public int total() {
    return bank.rows();
  }

  @Override
  public CompletionStage<Result> run(ProgressSink progress) {
    return new RowRouting(statics, scoringExecutor)
        .routeAll(bank, router, concurrency, progress::progressed)
        .thenApplyAsync(answers -> new Result(score(answers),
            PredictionLines.jsonl(bank.bank(), answers)), scoringExecutor);
  }

  private ObjectNode score(Prediction[] answers) {
    Map<String, Prediction> byId = new HashMap<>();
    for (int i = 0; i < answers.length; i++) {
      byId.put(bank.bank().row(i).id(), answers[i]);
    }
    Predictions predictions = Predictions.fromMap(routerLabel, byId);
    return statics.score(bank, predictions, routerLabel, Optional.empty(), StaticScorer.DEFAULT_SEED);
  }
}
