package io.twinrouter.orchestrator.cli;

import io.twinrouter.agent.loop.MiniConfig;
import io.twinrouter.config.InputFormatException;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --agent-config FILE}: the agent as a mini-swe-agent YAML config describes it. */
final class AgentConfigOption {
  @Option(names = "--agent-config", paramLabel = "FILE",
      description = "A mini-swe-agent 2.2 YAML config (such as its swebench.yaml): its templates,"
          + " step and cost limits, command timeout, environment and interpreter (bash -c or -lc)"
          + " replace twinrouter's own; its model and container keys are superseded by the pool"
          + " and the sandbox.")
  Path file;

  /** {@code settings} with the config's agent; a bad config is refused (exit 2, file and line). */
  TwinrouterSettings apply(TwinrouterSettings settings) {
    if (file == null) {
      return settings;
    }
    try {
      return TwinrouterSettings.from(MiniConfig.load(file).applyTo(settings.raw()));
    } catch (InputFormatException e) {
      throw new InputException(e.getMessage(), e);
    }
  }
}
