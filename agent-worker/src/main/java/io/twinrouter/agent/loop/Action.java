package io.twinrouter.agent.loop;

/**
 * One bash command the model asked for.
 *
 * @param command the command line, run with {@code bash -c} in a fresh subshell
 * @param toolCallId the id of the tool call it came from; null in text mode
 * @param rawArguments the tool call's arguments as the model wrote them (text mode: the command)
 */
public record Action(String command, String toolCallId, String rawArguments) {}
