package io.twinrouter.orchestrator.run;

/** One case a run has to finish; restarts of the case actor get the same ticket. */
public record CaseTicket(String runId, String caseId) {}
