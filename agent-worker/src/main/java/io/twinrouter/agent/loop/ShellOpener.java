package io.twinrouter.agent.loop;

/** Creates the sandbox of one case (blocking: it may start a container). */
@FunctionalInterface
public interface ShellOpener {
  Shell open(CaseTask task) throws Exception;
}
