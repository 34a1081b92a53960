package io.twinrouter.gateway;

import io.twinrouter.agent.model.ModelOutcome;

/**
 * What a routing proxy's answer to one live step came to, as the gateway saw it: the answering
 * call's outcome (a {@link io.twinrouter.agent.model.ModelTurn} carrying the step's other
 * metered calls, or the provider's refusal), or the failure of the model's endpoint. The agent's
 * model call for the step hands it on instead of calling a model again.
 */
public record ProxiedStep(ModelOutcome outcome, RuntimeException failure) {}
