package io.twinrouter.agent.model;

/**
 * One tool call of an assistant message as the provider sent it. {@code arguments} is the raw
 * argument string (normally JSON); parsing it, and treating a bad one as a format error, is the
 * agent's job (live-track spec 2.1.3).
 */
public record ToolCall(String id, String name, String arguments) {}
