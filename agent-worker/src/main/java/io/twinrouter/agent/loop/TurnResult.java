package io.twinrouter.agent.loop;

import java.util.List;

/** What one model answer led to. */
public sealed interface TurnResult {

  /** Unparsable answer: not priced, not traced; the model is told and the loop goes on. */
  record FormatErrorTurn() implements TurnResult {}

  /** A priced answer whose actions are to be run in order. */
  record Priced(StepRecord record, List<Action> actions) implements TurnResult {}

  /** The answer ended the loop (it could not be priced). */
  record Ended(LoopExit exit) implements TurnResult {}
}
