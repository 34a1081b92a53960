package io.twinrouter.orchestrator.run;

/** What a run publishes as it goes: for progress bars, the scoring actor and server-sent events. */
public sealed interface RunEvent {

  String runId();

  record CaseStarted(String runId, String caseId) implements RunEvent {}

  record CaseStepped(String runId, String caseId, int steps, double caseSpendUsd)
      implements RunEvent {}

  record CaseRestarting(String runId, String caseId, int attempt, String cause)
      implements RunEvent {}

  record CaseFinished(String runId, CaseResult result) implements RunEvent {}

  record RunFinished(String runId, RunProgress progress) implements RunEvent {}
}
