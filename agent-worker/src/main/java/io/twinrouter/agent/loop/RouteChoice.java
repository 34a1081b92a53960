package io.twinrouter.agent.loop;

/** The router's answer: which pool model makes the next call, and its free-text reason. */
public record RouteChoice(String modelId, String rationale) {}
