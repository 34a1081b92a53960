package io.twinrouter.scoring.service;

import io.twinrouter.router.BatchRouting;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.scoring.statictrack.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks a router for every row of a bank, at most {@code concurrency} calls in flight
 * ({@link BatchRouting}), and turns the outcomes into predictions: a tier, or the failure's text
 * (timeout, transport error, malformed answer, model outside the pool) for an error row. The
 * contexts are built from the router-visible rows only, never a label.
 */
public final class RowRouting {

  /** Called as rows finish (every row of a small bank, every 1% of a large one), from any thread. */
  @FunctionalInterface
  public interface Progress {
    void rowDone(int done, int errors);
  }

  private final StaticEvaluations statics;
  private final Executor executor;

  /** @param executor builds the contexts and runs in-process routers: the scoring dispatcher */
  public RowRouting(StaticEvaluations statics, Executor executor) {
    this.statics = statics;
    this.executor = executor;
  }

  /** The answers in row order. */
  public CompletionStage<Prediction[]> routeAll(ServedBank bank, Router router, int concurrency, Progress progress) {
    AtomicInteger done = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    // a report per row was a message to the scoring actor per router call; one per 1% of the
    // bank (and the last row) is as fresh as the events stream, which samples every 100 ms
    int every = Math.max(1, bank.rows() / 100);
    return CompletableFuture.supplyAsync(() -> contexts(bank), executor)
        .thenCompose(contexts -> BatchRouting.routeAll(router, contexts, concurrency, executor, outcome -> {
          if (outcome.failed()) {
            errors.incrementAndGet();
          }
          // errors read after done: the last row's report counts every error
          int finished = done.incrementAndGet();
          if (finished % every == 0 || finished == bank.rows()) {
            progress.rowDone(finished, errors.get());
          }
        }))
        .thenApply(outcomes -> {
          Prediction[] answers = new Prediction[outcomes.size()];
          for (BatchRouting.Outcome o : outcomes) {
            answers[o.index()] = o.failed()
                ? Prediction.error(o.error().getMessage())
                : Prediction.routed(o.decision().tier(), o.decision().rationale());
          }
          return answers;
        });
  }

  private List<RouterContext> contexts(ServedBank bank) {
    List<RouterContext> out = new ArrayList<>(bank.rows());
    for (int i = 0; i < bank.rows(); i++) {
      out.add(statics.context(bank, i));
    }
    return out;
  }
}
