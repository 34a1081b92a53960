package io.twinrouter.agent.loop;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.twinrouter.agent.loop.jinja.JinjaException;
import io.twinrouter.config.InputFormatException;
import io.twinrouter.sandbox.ExecShell;
import io.twinrouter.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A mini-swe-agent 2.2 YAML config as users have it ({@code swebench.yaml}'s shape): the agent's
 * templates and limits, the environment's cwd, timeout, variables and interpreter, the model's
 * observation and format-error templates. Keys that choose mini's model or container are taken
 * as given and superseded by the run's pool, router and sandbox ({@link #superseded}); any other
 * key, a value of the wrong type, or a template outside the supported Jinja subset is refused with
 * the file, line and key. Absent settings take mini's own defaults.
 *
 * @param superseded keys of the file that twinrouter reads but does not apply, as dotted paths
 */
public record MiniConfig(Path file, MiniPrompts prompts, int stepLimit, double costLimitUsd,
    int timeoutSec, Map<String, String> env, ExecShell shell, ActionFormat actionFormat,
    List<String> superseded) {

  private static final Set<String> AGENT = Set.of("system_template", "instance_template",
      "step_limit", "cost_limit", "output_path");
  private static final Set<String> ENVIRONMENT = Set.of("cwd", "timeout", "env", "forward_env",
      "interpreter", "environment_class", "image", "executable", "run_args", "container_timeout",
      "pull_timeout");
  private static final Set<String> MODEL = Set.of("observation_template",
      "format_error_template", "model_name", "model_kwargs", "model_class",
      "litellm_model_registry", "set_cache_control", "cost_tracking", "action_regex",
      "multimodal_regex");
  /** Keys that choose mini's own model client or container: the run's pool and sandbox do. */
  private static final Set<String> SUPERSEDED = Set.of("agent.output_path",
      "environment.environment_class", "environment.image", "environment.executable",
      "environment.run_args", "environment.container_timeout", "environment.pull_timeout",
      "model.model_name", "model.model_kwargs", "model.litellm_model_registry",
      "model.set_cache_control", "model.cost_tracking");
  /** The text-mode action pattern, the only one the parser has (mini 2.2's default). */
  private static final String ACTION_REGEX = "```mswea_bash_command\\s*\\n(.*?)\\n```";

  public MiniConfig {
    env = Map.copyOf(env);
    superseded = List.copyOf(superseded);
  }

  /** @throws InputFormatException naming the file, line and key of the first problem */
  public static MiniConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputFormatException(file.toString(), 0, null, "cannot read the agent config: "
          + e.getMessage());
    }
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new InputFormatException(file.toString(), e.getProblemMark().getLine() + 1, null,
          "not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new InputFormatException(file.toString(), 0, null, "not valid YAML: " + e.getMessage());
    }
    return new Reader(file).read(root);
  }

  /** The run's settings with this config's limits, environment, shell and action format. */
  public Config applyTo(Config root) {
    return root
        .withValue("twinrouter.agent.agent-config-file",
            ConfigValueFactory.fromAnyRef(file.toAbsolutePath().toString()))
        .withValue("twinrouter.agent.interpreter", ConfigValueFactory.fromIterable(shell.interpreter()))
        .withValue("twinrouter.agent.command-env", ConfigValueFactory.fromMap(env))
        .withValue("twinrouter.agent.action-format",
            ConfigValueFactory.fromAnyRef(actionFormat == ActionFormat.TEXT ? "text" : "tool-calls"))
        .withValue("twinrouter.live.step-limit", ConfigValueFactory.fromAnyRef(stepLimit))
        .withValue("twinrouter.live.cost-limit-usd", ConfigValueFactory.fromAnyRef(costLimitUsd))
        .withValue("twinrouter.live.command-timeout",
            ConfigValueFactory.fromAnyRef(timeoutSec + "s"));
  }

  /** Reads one file's nodes, knowing where each came from. */
  private static final class Reader {
    private final Path file;
    private final List<String> superseded = new ArrayList<>();

    Reader(Path file) {
      this.file = file;
    }

    private InputFormatException error(Node at, String key, String problem) {
      return new InputFormatException(file.toString(), at == null ? 0 : at.getStartMark().getLine() + 1,
          key, problem);
    }

    MiniConfig read(Node root) {
      if (!(root instanceof MappingNode)) {
        throw error(root, null, "an agent config is a mapping with agent, environment and model");
      }
      Map<String, Map<String, NodeTuple>> sections = new LinkedHashMap<>();
      for (NodeTuple t : ((MappingNode) root).getValue()) {
        String name = key(t, "");
        Set<String> allowed = switch (name) {
          case "agent" -> AGENT;
          case "environment" -> ENVIRONMENT;
          case "model" -> MODEL;
          default -> throw error(t.getKeyNode(), name, "unknown key (mini-swe-agent 2.2 configs"
              + " have agent, environment and model; twinrouter supports no other section)");
        };
        if (!(t.getValueNode() instanceof MappingNode section)) {
          throw error(t.getValueNode(), name, "must be a mapping");
        }
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        for (NodeTuple k : section.getValue()) {
          String key = key(k, name + ".");
          if (!allowed.contains(key)) {
            throw error(k.getKeyNode(), name + "." + key, "unknown key (not a mini-swe-agent 2.2"
                + " setting of " + name + ")");
          }
          if (SUPERSEDED.contains(name + "." + key)) {
            superseded.add(name + "." + key);
          }
          keys.put(key, k);
        }
        sections.put(name, keys);
      }
      Map<String, NodeTuple> agent = sections.getOrDefault("agent", Map.of());
      Map<String, NodeTuple> environment = sections.getOrDefault("environment", Map.of());
      Map<String, NodeTuple> model = sections.getOrDefault("model", Map.of());

      ExecShell shell = shell(environment.get("interpreter"));
      String cwd = string(environment.get("cwd"), "environment.cwd", SandboxSpec.TESTBED);
      if (!cwd.equals(SandboxSpec.TESTBED)) {
        throw error(environment.get("cwd").getValueNode(), "environment.cwd",
            "twinrouter's sandboxes run commands in " + SandboxSpec.TESTBED + ", not " + cwd);
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (String name : stringList(environment.get("forward_env"), "environment.forward_env")) {
        String v = System.getenv(name);
        if (v != null) {
          env.put(name, v);
        }
      }
      env.putAll(stringMap(environment.get("env"), "environment.env"));
      ActionFormat format = actionFormat(model);
      String regex = string(model.get("multimodal_regex"), "model.multimodal_regex", "");
      if (!regex.isEmpty()) {
        throw error(model.get("multimodal_regex").getValueNode(), "model.multimodal_regex",
            "multimodal content is not supported");
      }
      int stepLimit = (int) number(agent.get("step_limit"), "agent.step_limit", 0, true);
      double costLimit = number(agent.get("cost_limit"), "agent.cost_limit", 3.0, false);
      int timeout = (int) number(environment.get("timeout"), "environment.timeout", 30, true);
      if (timeout <= 0) {
        throw error(environment.get("timeout").getValueNode(), "environment.timeout",
            "must be a positive number of seconds");
      }
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put("output_path", null);
      vars.put("step_limit", (long) stepLimit);
      vars.put("cost_limit", costLimit);
      agent.forEach((k, t) -> vars.put(k, value(t.getValueNode())));
      environment.forEach((k, t) -> vars.put(k, value(t.getValueNode())));
      vars.put("cwd", cwd);
      vars.put("timeout", (long) timeout);
      vars.put("env", new LinkedHashMap<>(env));
      vars.put("interpreter", shell.interpreter());
      vars.putAll(MiniPrompts.uname());
      model.forEach((k, t) -> vars.put(k, value(t.getValueNode())));

      MiniPrompts prompts = new MiniPrompts(file,
          template(agent.get("system_template"), "agent.system_template", true),
          template(agent.get("instance_template"), "agent.instance_template", true),
          template(model.get("observation_template"), "model.observation_template", false),
          template(model.get("format_error_template"), "model.format_error_template", false),
          vars);
      try {
        prompts.rehearse();
      } catch (MiniPrompts.TemplateFailure f) {
        throw new InputFormatException(file.toString(), f.fileLine(), f.key(),
            f.getCause().getMessage());
      }
      return new MiniConfig(file, prompts, stepLimit, costLimit, timeout, env, shell, format,
          superseded);
    }

    private String key(NodeTuple t, String prefix) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw error(t.getKeyNode(), prefix, "keys must be plain names");
      }
      return k.getValue();
    }

    private ExecShell shell(NodeTuple t) {
      if (t == null) {
        return ExecShell.BASH_LC; // mini's DockerEnvironmentConfig default
      }
      try {
        return ExecShell.of(stringList(t, "environment.interpreter"));
      } catch (IllegalArgumentException e) {
        throw error(t.getValueNode(), "environment.interpreter", e.getMessage());
      }
    }

    private ActionFormat actionFormat(Map<String, NodeTuple> model) {
      String modelClass = string(model.get("model_class"), "model.model_class", "");
      boolean text = modelClass.contains("textbased");
      if (model.containsKey("action_regex")) {
        if (!text) {
          throw error(model.get("action_regex").getValueNode(), "model.action_regex",
              "an action regex needs a text-based model_class (such as litellm_textbased)");
        }
        if (!string(model.get("action_regex"), "model.action_regex", "").equals(ACTION_REGEX)) {
          throw error(model.get("action_regex").getValueNode(), "model.action_regex",
              "only mini's default pattern " + ACTION_REGEX + " is supported");
        }
      }
      return text ? ActionFormat.TEXT : ActionFormat.TOOL_CALLS;
    }

    private MiniPrompts.Source template(NodeTuple t, String key, boolean required) {
      if (t == null) {
        if (required) {
          throw new InputFormatException(file.toString(), 0, key, "missing (mini requires it)");
        }
        return null;
      }
      ScalarNode s = scalar(t, key);
      ScalarStyle style = s.getScalarStyle();
      int first = s.getStartMark().getLine() + 1
          + (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED ? 1 : 0);
      try {
        return new MiniPrompts.Source(key, s.getValue(),
            io.twinrouter.agent.loop.jinja.JinjaTemplate.parse(s.getValue()), first);
      } catch (JinjaException e) {
        throw new InputFormatException(file.toString(), first + e.line() - 1, key, e.getMessage());
      }
    }

    private ScalarNode scalar(NodeTuple t, String key) {
      if (!(t.getValueNode() instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
        throw error(t.getValueNode(), key, "must be a string");
      }
      return s;
    }

    private String string(NodeTuple t, String key, String absent) {
      return t == null ? absent : scalar(t, key).getValue();
    }

    private double number(NodeTuple t, String key, double absent, boolean whole) {
      if (t == null) {
        return absent;
      }
      Object v = value(t.getValueNode());
      if (whole ? !(v instanceof Long) : !(v instanceof Long || v instanceof Double)) {
        throw error(t.getValueNode(), key, whole ? "must be a whole number" : "must be a number");
      }
      double d = ((Number) v).doubleValue();
      if (d < 0) {
        throw error(t.getValueNode(), key, "must not be negative");
      }
      return d;
    }

    private List<String> stringList(NodeTuple t, String key) {
      if (t == null) {
        return List.of();
      }
      if (!(t.getValueNode() instanceof SequenceNode seq)) {
        throw error(t.getValueNode(), key, "must be a list of strings");
      }
      List<String> out = new ArrayList<>();
      for (Node n : seq.getValue()) {
        if (!(n instanceof ScalarNode s)) {
          throw error(n, key, "must be a list of strings");
        }
        out.add(s.getValue());
      }
      return out;
    }

    private Map<String, String> stringMap(NodeTuple t, String key) {
      if (t == null) {
        return Map.of();
      }
      if (!(t.getValueNode() instanceof MappingNode m)) {
        throw error(t.getValueNode(), key, "must be a mapping of names to values");
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (NodeTuple e : m.getValue()) {
        String name = key(e, key + ".");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw error(e.getKeyNode(), key + "." + name, "not an environment variable name");
        }
        if (!(e.getValueNode() instanceof ScalarNode v)) {
          throw error(e.getValueNode(), key + "." + name, "must be a string");
        }
        out.put(name, v.getValue());
      }
      return out;
    }

    /** A node as the value a template sees (Python's types after YAML's implicit typing). */
    private static Object value(Node n) {
      if (n instanceof ScalarNode s) {
        Tag tag = s.getTag();
        String v = s.getValue().replace("_", "");
        if (tag.equals(Tag.NULL)) {
          return null;
        }
        if (tag.equals(Tag.BOOL)) {
          return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
        }
        if (tag.equals(Tag.INT)) {
          try {
            return Long.decode(v);
          } catch (NumberFormatException e) {
            return s.getValue();
          }
        }
        if (tag.equals(Tag.FLOAT)) {
          try {
            return Double.valueOf(v);
          } catch (NumberFormatException e) {
            return s.getValue();
          }
        }
        return s.getValue();
      }
      if (n instanceof SequenceNode seq) {
        List<Object> out = new ArrayList<>();
        seq.getValue().forEach(x -> out.add(value(x)));
        return out;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      ((MappingNode) n).getValue().forEach(t -> out.put(
          t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?", value(t.getValueNode())));
      return out;
    }
  }
}
