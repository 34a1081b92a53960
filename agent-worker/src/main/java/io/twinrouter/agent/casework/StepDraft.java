package io.twinrouter.agent.casework;

import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.agent.journal.RecordedStep.RecordedAction;
import io.twinrouter.agent.loop.ModelTurn;
import io.twinrouter.agent.loop.RouteChoice;
import io.twinrouter.agent.loop.ShellResult;
import java.util.ArrayList;
import java.util.List;

/** A step as it runs: what the journal will need once its actions are done. */
final class StepDraft {

  private final int stepIndex;
  private final String modelId;
  private final RouteChoice choice;
  private final double decisionMs;
  private final ModelTurn turn;
  private final List<RecordedAction> actions = new ArrayList<>();
  private final List<StepPayload.Observation> observations = new ArrayList<>();
  private final double costUsd;

  /** @param costUsd the step's price; 0 for a format error, which is not billed */
  StepDraft(int stepIndex, String modelId, RouteChoice choice, double decisionMs, ModelTurn turn,
      double costUsd) {
    this.stepIndex = stepIndex;
    this.modelId = modelId;
    this.choice = choice;
    this.decisionMs = decisionMs;
    this.turn = turn;
    this.costUsd = costUsd;
  }

  void observe(String command, ShellResult result, double ts) {
    actions.add(new RecordedAction(command, result.returncode()));
    observations.add(new StepPayload.Observation(result, ts));
  }

  RecordedStep toRecord() {
    String payload = new StepPayload(choice, decisionMs, turn, observations).toJson();
    return new RecordedStep(stepIndex, modelId, costUsd, actions, payload);
  }
}
