package io.twinrouter.agent.loop;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.SettingsException;
import java.nio.file.Files;
import io.twinrouter.sandbox.ExecResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loop's prompt texts with {@code {{name}}} placeholders. Defaults come from the bundled
 * {@code twinrouter-agent-templates.conf}; a user file may override any key.
 */
public record Templates(
    String system,
    String instance,
    String observation,
    String observationLong,
    String exceptionLine,
    String formatError,
    String textFormatError) implements Prompts {

  /** The source texts of the templates a trajectory shows, by mini's key names. */
  public record Sources(String systemTemplate, String instanceTemplate,
      String observationTemplate, String formatErrorTemplate) {}

  private static final String RESOURCE = "twinrouter-agent-templates.conf";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  public static Templates defaults() {
    return from(ConfigFactory.parseResources(Templates.class.getClassLoader(), RESOURCE));
  }

  /** The bundled templates overridden by the keys of {@code file}; errors name the file. */
  public static Templates load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new SettingsException("templates-file " + file + " does not exist");
    }
    try {
      Config user = ConfigFactory.parseFile(file.toFile());
      Config base = ConfigFactory.parseResources(Templates.class.getClassLoader(), RESOURCE);
      return from(user.withFallback(base));
    } catch (ConfigException e) {
      throw new SettingsException("templates-file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The configured templates: {@code templatesFile} when set, else the defaults. */
  public static Templates forFile(String templatesFile) {
    return templatesFile == null || templatesFile.isBlank()
        ? defaults() : load(Path.of(templatesFile));
  }

  private static Templates from(Config c) {
    Config t = c.getConfig("templates");
    return new Templates(
        t.getString("system"),
        t.getString("instance"),
        t.getString("observation"),
        t.getString("observation-long"),
        t.getString("exception-line"),
        t.getString("format-error"),
        t.getString("text-format-error"));
  }

  @Override
  public String systemMessage() {
    return system;
  }

  @Override
  public String instanceMessage(String task) {
    return render(instance, Map.of("task", task));
  }

  /**
   * The whole output below the limit, otherwise a warning with the first and last half-limit
   * characters and the elided count (live-track spec 2.1.2). Lengths count Unicode code points,
   * as Python's {@code len} does.
   */
  @Override
  public String observationMessage(ExecResult result, String exceptionInfo, int limitChars,
      int calls, double costUsd) {
    String out = result.combinedOutput();
    String line = exceptionInfo.isEmpty()
        ? "" : render(exceptionLine, Map.of("exception_info", exceptionInfo));
    String rc = Integer.toString(result.exitCode());
    int length = out.codePointCount(0, out.length());
    if (length < limitChars) {
      return render(observation, Map.of("exception_line", line, "returncode", rc, "output", out));
    }
    int half = limitChars / 2;
    String head = out.substring(0, out.offsetByCodePoints(0, half));
    String tail = out.substring(out.offsetByCodePoints(out.length(), -half));
    return render(observationLong, Map.of(
        "exception_line", line,
        "returncode", rc,
        "output_head", head,
        "output_tail", tail,
        "elided_chars", Integer.toString(length - limitChars)));
  }

  @Override
  public String toolCallError(String error) {
    return render(formatError, Map.of("error", error));
  }

  @Override
  public String textFormatError(List<String> found) {
    return render(textFormatError, Map.of("actions_found", Integer.toString(found.size())));
  }

  @Override
  public Sources sources() {
    return new Sources(system, instance, observation, formatError);
  }

  /**
   * Replaces each {@code {{name}}} by its value in one pass, so a value that itself contains
   * braces (an issue quoting a template) is inserted verbatim. Unknown names stay as written.
   */
  public static String render(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
