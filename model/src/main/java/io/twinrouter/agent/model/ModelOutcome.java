package io.twinrouter.agent.model;

/**
 * What one {@link ModelClient#complete} call gives back: the model's turn, or the provider's
 * refusal of the request (a 4xx other than 408/409/425/429). A refusal is a failure the case
 * caused itself (context too long, unknown model, bad key), so it is a value the case actor turns
 * into its {@code agent_error}; an unreachable or misbehaving endpoint is a {@link
 * ModelUnavailableException} for the supervisor.
 */
public sealed interface ModelOutcome permits ModelTurn, ModelRequestRejected {}
