package io.twinrouter.agent.grading;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.config.InputFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file of (repository, version) specs for in-house sets, in the shape and key names of
 * SWE-bench's {@code MAP_REPO_VERSION_TO_SPECS}: {@code {"owner/name": {"1.0": {"test_cmd": ...,
 * "install": ..., "eval_commands": [...]}}}}. Keys SWE-bench uses to build images ({@code
 * python}, {@code packages}, {@code pip_packages}, {@code pre_install}, ...) are ignored: the
 * image exists already. SWE-bench keeps the parser per repository elsewhere; here a spec may name
 * it as {@code log_parser} (ours or SWE-bench's function name), else pytest's is used.
 */
public final class SpecsFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SpecsFile() {}

  /** @throws InputFormatException naming the file, the line where it applies, and the field */
  public static Map<String, Map<String, RepoSpec>> read(Path file) {
    String src = file.toString();
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InputFormatException(src, line, null, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InputFormatException(src, 0, null, "cannot read the specs file: " + e.getMessage());
    }
    if (root == null || !root.isObject() || root.isEmpty()) {
      throw new InputFormatException(src, 0, null,
          "expected an object of repositories, each an object of versions");
    }
    Map<String, Map<String, RepoSpec>> specs = new LinkedHashMap<>();
    root.fields().forEachRemaining(repo -> {
      if (!repo.getValue().isObject()) {
        throw new InputFormatException(src, 0, repo.getKey(), "expected an object of versions");
      }
      Map<String, RepoSpec> byVersion = specs.computeIfAbsent(repo.getKey(), r -> new LinkedHashMap<>());
      repo.getValue().fields().forEachRemaining(v -> byVersion.put(v.getKey(),
          spec(src, repo.getKey() + "." + v.getKey(), v.getValue())));
    });
    return specs;
  }

  private static RepoSpec spec(String src, String where, JsonNode s) {
    if (!s.isObject()) {
      throw new InputFormatException(src, 0, where, "expected an object with test_cmd");
    }
    JsonNode cmd = s.get("test_cmd");
    String testCmd;
    if (cmd != null && cmd.isTextual() && !cmd.textValue().isBlank()) {
      testCmd = cmd.textValue();
    } else if (cmd != null && cmd.isArray() && !cmd.isEmpty()) {
      testCmd = String.join(" ", strings(src, where + ".test_cmd", cmd));
    } else {
      throw new InputFormatException(src, 0, where + ".test_cmd",
          "must be a command (a string, or a list of its words)");
    }
    JsonNode install = s.get("install");
    if (install != null && !install.isNull() && !install.isTextual()) {
      throw new InputFormatException(src, 0, where + ".install", "must be a string");
    }
    JsonNode eval = s.get("eval_commands");
    List<String> evalCommands = eval == null || eval.isNull() ? List.of()
        : strings(src, where + ".eval_commands", eval);
    JsonNode parser = s.get("log_parser");
    String logParser = parser == null || parser.isNull() ? LogParsers.PYTEST : parser.asText();
    if (LogParsers.find(logParser).isEmpty()) {
      throw new InputFormatException(src, 0, where + ".log_parser",
          "unknown log parser '" + logParser + "'; known: " + String.join(", ", LogParsers.names()));
    }
    return new RepoSpec(evalCommands, install == null || install.isNull() ? null : install.textValue(),
        testCmd, LogParsers.canonical(logParser));
  }

  private static List<String> strings(String src, String where, JsonNode array) {
    if (!array.isArray()) {
      throw new InputFormatException(src, 0, where, "must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : array) {
      if (!e.isTextual()) {
        throw new InputFormatException(src, 0, where, "must be a list of strings");
      }
      out.add(e.textValue());
    }
    return out;
  }
}
