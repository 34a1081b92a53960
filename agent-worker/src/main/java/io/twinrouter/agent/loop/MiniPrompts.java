package io.twinrouter.agent.loop;

import io.twinrouter.agent.loop.jinja.JinjaException;
import io.twinrouter.agent.loop.jinja.JinjaTemplate;
import io.twinrouter.sandbox.ExecResult;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The prompts of a mini-swe-agent config ({@link MiniConfig}): its Jinja templates rendered with
 * the variables mini gives them (the config's own settings, the host's {@code uname},
 * {@code n_model_calls}, {@code model_cost}, {@code task}; {@code output} for observations;
 * {@code error} and {@code actions} for format errors). A template the config leaves out is
 * twinrouter's own.
 */
public final class MiniPrompts implements Prompts {

  /** One template of the file; {@code firstLine} is the file line its text starts on. */
  record Source(String key, String text, JinjaTemplate template, int firstLine) {}

  /** A template that failed to render, placed in the file. */
  static final class TemplateFailure extends RuntimeException {
    private final String key;
    private final int fileLine;

    TemplateFailure(Source s, JinjaException cause) {
      super(s.key() + " line " + (s.firstLine() + cause.line() - 1) + ": " + cause.getMessage(),
          cause);
      this.key = s.key();
      this.fileLine = s.firstLine() + cause.line() - 1;
    }

    String key() {
      return key;
    }

    int fileLine() {
      return fileLine;
    }
  }

  private static final Templates OWN = Templates.defaults();

  private final Path file;
  private final Source system;
  private final Source instance;
  private final Source observation;
  private final Source formatError;
  private final Map<String, Object> vars;

  MiniPrompts(Path file, Source system, Source instance, Source observation, Source formatError,
      Map<String, Object> vars) {
    this.file = file;
    this.system = system;
    this.instance = instance;
    this.observation = observation;
    this.formatError = formatError;
    this.vars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vars)); // None is null
  }

  public Path file() {
    return file;
  }

  /**
   * Renders every template once with sample values, so that a variable the templates use and the
   * config does not define stops the run before it starts, not in its first case.
   */
  void rehearse() {
    systemMessage();
    instanceMessage("a sample problem statement");
    ExecResult done = new ExecResult(0, "a line\n", "", Duration.ZERO, false);
    ExecResult long_ = new ExecResult(1, "x".repeat(200_000), "", Duration.ZERO, false);
    ExecResult killed = new ExecResult(ExecResult.TIMED_OUT, "", "", Duration.ZERO, false);
    observationMessage(done, "", 10_000, 1, 0.0);
    observationMessage(long_, "", 10_000, 1, 0.0);
    observationMessage(killed, "the command was killed", 10_000, 1, 0.0);
    toolCallError("a sample error");
    textFormatError(List.of("ls", "pwd"));
  }

  @Override
  public String systemMessage() {
    return render(system, dynamic(0, 0.0));
  }

  @Override
  public String instanceMessage(String task) {
    Map<String, Object> v = dynamic(0, 0.0);
    v.put("task", task);
    return render(instance, v);
  }

  @Override
  public String observationMessage(ExecResult result, String exceptionInfo, int limitChars,
      int calls, double costUsd) {
    if (observation == null) {
      return OWN.observationMessage(result, exceptionInfo, limitChars, calls, costUsd);
    }
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("output", result.combinedOutput());
    output.put("returncode", (long) result.exitCode());
    output.put("exception_info", exceptionInfo);
    Map<String, Object> v = dynamic(calls, costUsd);
    v.put("output", output);
    return render(observation, v);
  }

  /** As mini: a format error's template sees only {@code error} and {@code actions}. */
  @Override
  public String toolCallError(String error) {
    if (formatError == null) {
      return OWN.toolCallError(error);
    }
    return render(formatError, new LinkedHashMap<>(Map.of("error", error, "actions", List.of())));
  }

  @Override
  public String textFormatError(List<String> found) {
    if (formatError == null) {
      return OWN.textFormatError(found);
    }
    String error = "Found " + found.size() + " command blocks; a response must hold exactly one.";
    return render(formatError, new LinkedHashMap<>(Map.of("error", error, "actions", found)));
  }

  @Override
  public Templates.Sources sources() {
    Templates.Sources own = OWN.sources();
    return new Templates.Sources(system.text(), instance.text(),
        observation == null ? own.observationTemplate() : observation.text(),
        formatError == null ? own.formatErrorTemplate() : formatError.text());
  }

  private Map<String, Object> dynamic(int calls, double cost) {
    Map<String, Object> v = new LinkedHashMap<>(vars);
    v.put("n_model_calls", (long) calls);
    v.put("model_cost", cost);
    return v;
  }

  private static String render(Source s, Map<String, Object> v) {
    try {
      return s.template().render(v);
    } catch (JinjaException e) {
      throw new TemplateFailure(s, e);
    }
  }

  /**
   * Python's {@code platform.uname()} of this host, which mini merges into the variables: the
   * kernel the sandboxes share.
   */
  static Map<String, Object> uname() {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("system", kernel("ostype", System.getProperty("os.name")));
    u.put("node", kernel("hostname", hostname()));
    u.put("release", kernel("osrelease", System.getProperty("os.version")));
    u.put("version", kernel("version", ""));
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    u.put("machine", arch.equals("amd64") ? "x86_64" : arch);
    u.put("processor", "");
    return u;
  }

  private static String kernel(String name, String fallback) {
    try {
      return Files.readString(Path.of("/proc/sys/kernel", name)).strip();
    } catch (IOException e) {
      return fallback;
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "";
    }
  }
}
