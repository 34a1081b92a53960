package io.twinrouter.agent.casework;

import io.twinrouter.agent.journal.CaseJournal;
import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.common.Failures;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Write, then call: each finished step is made durable in the case's journal before the next
 * model call, without the actor waiting in between. While a step's write is in flight the router
 * (which spends nothing) decides the next step, and the next model call is chained to the write,
 * so it starts on the model thread the moment the write is acknowledged and never starts when the
 * write failed. Without a journal, calls start at once.
 */
final class DurableSteps {

  private final ActorRef<CaseJournal.Command> journal;
  private final Duration timeout;
  private final Scheduler scheduler;
  /** The write the next model call waits for (null when none is in flight), and its step. */
  private CompletableFuture<CaseJournal.Ack> write;
  private int writeIndex = -1;
  /** The model call chained to {@link #write}, until it answers (cancelled if the case ends). */
  private CompletableFuture<ModelTurn> chainedCall;

  /** @param journal null without journaling */
  DurableSteps(ActorRef<CaseJournal.Command> journal, Duration timeout, Scheduler scheduler) {
    this.journal = journal;
    this.timeout = timeout;
    this.scheduler = scheduler;
  }

  boolean journalled() {
    return journal != null;
  }

  boolean writing() {
    return write != null;
  }

  /**
   * Sends a finished step to the journal; the future completes with its acknowledgement. With
   * {@code callNext}, the next model call will wait for it.
   */
  CompletableFuture<CaseJournal.Ack> record(RecordedStep step, boolean callNext) {
    CompletableFuture<CaseJournal.Ack> w = AskPattern.<CaseJournal.Command, CaseJournal.Ack>ask(
        journal, ack -> new CaseJournal.RecordStep(step, ack), timeout, scheduler)
        .toCompletableFuture();
    if (callNext) {
      write = w;
      writeIndex = step.stepIndex();
    }
    return w;
  }

  /**
   * The model call, on {@code io}: at once, or once the write in flight is acknowledged. Fails with
   * {@link StepNotDurable} (and the model is not called) when that write failed.
   */
  CompletableFuture<ModelTurn> call(Callable<ModelTurn> model, Executor io) {
    if (write == null) {
      return CompletableFuture.supplyAsync(() -> RunningCase.unchecked(model), io);
    }
    int index = writeIndex;
    chainedCall = write.handle((ack, err) -> {
      if (err != null) {
        throw new StepNotDurable(index, Failures.cause(err));
      }
      return ack;
    }).thenApplyAsync(durable -> RunningCase.unchecked(model), io);
    return chainedCall;
  }

  /** The model call has answered, so the write it was chained to is durable. */
  void answered() {
    write = null;
    writeIndex = -1;
    chainedCall = null;
  }

  /** The write of {@code stepIndex} is acknowledged; false when its chained call answered first. */
  boolean acknowledged(int stepIndex) {
    if (write == null || stepIndex != writeIndex) {
      return false;
    }
    write = null;
    writeIndex = -1;
    return true;
  }

  /**
   * A model call chained to a journal write must not start once the case is gone: it would spend
   * money that nothing records. The journal child stops with the case, so the acknowledgement
   * seldom comes after this point; when it was already on its way, this stops the call before it
   * starts.
   */
  void cancel() {
    if (chainedCall != null) {
      chainedCall.cancel(false);
      chainedCall = null;
    }
  }

  /** The previous step's journal write failed, so the model call chained to it was not made. */
  static final class StepNotDurable extends RuntimeException {
    final int stepIndex;

    StepNotDurable(int stepIndex, Throwable cause) {
      super("step " + stepIndex + " was not journalled", cause);
      this.stepIndex = stepIndex;
    }
  }
}
