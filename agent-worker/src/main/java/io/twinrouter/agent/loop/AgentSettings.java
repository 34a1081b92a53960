package io.twinrouter.agent.loop;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.twinrouter.config.SettingsException;
import io.twinrouter.sandbox.ExecShell;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code twinrouter.agent} section: how the loop talks to the model and what it records.
 *
 * @param maxConsecutiveFormatErrors 0 = unlimited (the pinned reference has no such limit)
 * @param commandEnv environment of every command
 * @param shell the shell every command runs in ({@code interpreter})
 * @param agentConfigFile a mini-swe-agent YAML config whose templates the loop renders, or empty
 */
public record AgentSettings(
    ActionFormat actionFormat,
    String templatesFile,
    int maxConsecutiveFormatErrors,
    Map<String, String> commandEnv,
    String provider,
    int pricingSchemaVersion,
    String ttlPolicyName,
    ExecShell shell,
    String agentConfigFile) {

  public AgentSettings {
    commandEnv = Map.copyOf(commandEnv);
  }

  public static AgentSettings from(Config root) {
    try {
      Config c = root.getConfig("twinrouter.agent");
      Map<String, String> env = new LinkedHashMap<>();
      Config e = c.getConfig("command-env");
      for (String k : e.root().keySet()) {
        env.put(k, e.getString(k));
      }
      ActionFormat format;
      ExecShell shell;
      try {
        format = ActionFormat.fromName(c.getString("action-format"));
      } catch (IllegalArgumentException ex) {
        throw new SettingsException("twinrouter.agent.action-format: " + ex.getMessage(), ex);
      }
      try {
        shell = ExecShell.of(c.getStringList("interpreter"));
      } catch (IllegalArgumentException ex) {
        throw new SettingsException("twinrouter.agent.interpreter: " + ex.getMessage(), ex);
      }
      return new AgentSettings(
          format,
          c.getString("templates-file"),
          c.getInt("max-consecutive-format-errors"),
          env,
          c.getString("provider"),
          c.getInt("pricing-schema-version"),
          c.getString("ttl-policy-name"),
          shell,
          c.getString("agent-config-file"));
    } catch (ConfigException ex) {
      throw new SettingsException("configuration: " + ex.getMessage(), ex);
    }
  }

  public AgentSettings withActionFormat(ActionFormat f) {
    return new AgentSettings(f, templatesFile, maxConsecutiveFormatErrors, commandEnv, provider,
        pricingSchemaVersion, ttlPolicyName, shell, agentConfigFile);
  }

  public AgentSettings withMaxConsecutiveFormatErrors(int n) {
    return new AgentSettings(actionFormat, templatesFile, n, commandEnv, provider,
        pricingSchemaVersion, ttlPolicyName, shell, agentConfigFile);
  }
}
