package io.twinrouter.agent.loop;

import io.twinrouter.sandbox.ExecResult;
import java.util.List;

/**
 * The texts the loop sends the model: twinrouter's own {@link Templates} or a mini-swe-agent
 * config's Jinja templates ({@link MiniConfig}). Rendering is pure; implementations are immutable.
 */
public interface Prompts {

  /** The system message. */
  String systemMessage();

  /** The first user message: the task's problem statement in the instance template. */
  String instanceMessage(String task);

  /**
   * The observation of one command.
   *
   * @param exceptionInfo why the command could not finish, or empty
   * @param limitChars output of at least this many characters is shown as head and tail (the
   *     Jinja templates say their own limit)
   * @param calls model calls made so far ({@code n_model_calls})
   * @param costUsd spend so far ({@code model_cost})
   */
  String observationMessage(ExecResult result, String exceptionInfo, int limitChars, int calls,
      double costUsd);

  /** The reply to a response whose tool calls could not be parsed. */
  String toolCallError(String error);

  /** The reply to a text response without exactly one command block ({@code found} of them). */
  String textFormatError(List<String> found);

  /** The templates' source texts, by mini's key names, as the trajectory records them. */
  Templates.Sources sources();

  /** {@code agentConfigFile} when the settings name one, else the templates file or the defaults. */
  static Prompts of(AgentSettings agent) {
    return agent.agentConfigFile() == null || agent.agentConfigFile().isBlank()
        ? Templates.forFile(agent.templatesFile())
        : MiniConfig.load(java.nio.file.Path.of(agent.agentConfigFile())).prompts();
  }
}
