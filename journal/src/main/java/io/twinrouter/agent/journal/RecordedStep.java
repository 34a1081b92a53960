package io.twinrouter.agent.journal;

import java.util.List;

/**
 * One finished agent step as it is made durable before the next model call: enough to replay the
 * step's actions in a fresh sandbox without calling the model or paying again.
 *
 * @param stepIndex the agent's call index of this step (format-error calls consume one too)
 * @param costUsd what this step was billed; replay bills nothing
 * @param actions the commands run after the model answered, with the exit codes they gave
 * @param payloadJson what the case needs to rebuild its loop state without the model (the
 *     case runner stores the step's inputs: router choice, model answer, command results), opaque
 *     to the journal
 */
public record RecordedStep(
    int stepIndex, String modelId, double costUsd, List<RecordedAction> actions, String payloadJson)
    implements JournalSerializable {

  public RecordedStep {
    actions = List.copyOf(actions);
  }

  /** A command of the step and the exit code it returned when it first ran. */
  public record RecordedAction(String command, int exitCode) implements JournalSerializable {}
}
