package io.twinrouter.agent.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.twinrouter.agent.sim.ErrorModel.StepKind;
import io.twinrouter.common.Json;
import io.twinrouter.config.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a simulated model's next turn from the conversation alone, so that any mix of models
 * (a router switching every step) continues the same trajectory. Progress is read from the bash
 * commands of earlier assistant turns; the step number is the count of model turns so far (see
 * {@link #turn}). The
 * model's tier and the task's difficulty set the chance of a mistake (see {@link ErrorModel}).
 */
public final class SimPolicy {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final List<String> USELESS =
      List.of(
          "pwd",
          "ls -la /",
          "git log --oneline -5",
          "python --version",
          "find . -name \"*.pyc\" | head -n 5",
          "cat setup.cfg | head -n 20",
          "echo \"checking environment\" && env | grep -i path | head -n 3",
          "git status");

  private final long seed;

  public SimPolicy(long seed) {
    this.seed = seed;
  }

  /** What the model answers. */
  public record Reply(StepKind kind, Mistake mistake, String content, String command, String rawArguments) {
    /** True when the reply carries a tool call (well-formed or not). */
    public boolean hasToolCall() {
      return rawArguments != null;
    }
  }

  /**
   * How many model turns the conversation already holds: its assistant messages, plus every user
   * message after the first (the task). mini drops a malformed answer and appends a format-error
   * user message instead, so counting assistant messages alone would give the retry the same draw,
   * and the same mistake, until the step limit.
   */
  public static int turn(List<JsonNode> messages) {
    int assistants = 0;
    int users = 0;
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      if ("assistant".equals(role)) {
        assistants++;
      } else if ("user".equals(role)) {
        users++;
      }
    }
    return assistants + Math.max(0, users - 1);
  }

  /** The kind of mistake a reply contains, NONE for a correct step. */
  public enum Mistake {
    NONE,
    WRONG_EDIT,
    BAD_ARGUMENTS,
    NO_TOOL_CALL,
    USELESS_COMMAND
  }

  public Reply next(TaskScript script, Tier tier, String modelId, List<JsonNode> messages) {
    SimTask task = script.task();
    int step = turn(messages);
    TaskScript.Planned planned = nextStep(script, tier, modelId, step, commandsSoFar(messages));
    StepKind kind = planned.kind();
    String thought = thought(planned, script);
    double p = ErrorModel.errorProbability(tier, task.difficulty(), kind);
    if (draw(task, step, modelId, "error") >= p) {
      return toolReply(kind, Mistake.NONE, thought, planned.command());
    }
    double which = draw(task, step, modelId, "mistake");
    if (kind.isEdit() && which < 0.8) {
      return toolReply(kind, Mistake.WRONG_EDIT, thought, script.wrongCommand(kind));
    }
    if (which < (kind.isEdit() ? 0.9 : 0.4)) {
      if (draw(task, step, modelId, "malformed") < 0.5) {
        String intended = toolArguments(planned.command());
        String truncated = intended.substring(0, Math.max(12, intended.length() / 2));
        return new Reply(kind, Mistake.BAD_ARGUMENTS, thought, null, truncated);
      }
      return new Reply(
          kind, Mistake.NO_TOOL_CALL,
          thought + "\n\nI will run the next command:\n" + planned.command(), null, null);
    }
    int pick = (int) (draw(task, step, modelId, "useless") * USELESS.size());
    return toolReply(
        kind, Mistake.USELESS_COMMAND,
        "THOUGHT: Before going further I want to double-check the environment.",
        USELESS.get(pick));
  }

  private TaskScript.Planned nextStep(
      TaskScript script, Tier tier, String modelId, int step, List<String> done) {
    StepKind kind = nextKind(script, tier, modelId, step, done);
    if (kind != null) {
      return new TaskScript.Planned(kind, script.command(kind));
    }
    for (TaskScript.Planned p : script.exploration()) {
      if (!done.contains(p.command())) {
        return p;
      }
    }
    return new TaskScript.Planned(StepKind.REPRODUCE, script.command(StepKind.REPRODUCE));
  }

  /** The next step after exploration, or null while exploring. */
  private StepKind nextKind(TaskScript script, Tier tier, String modelId, int step, List<String> done) {
    String test = script.command(StepKind.TEST);
    int lastEdit = -1;
    boolean reproduced = false;
    for (int i = 0; i < done.size(); i++) {
      if (TaskScript.isEdit(done.get(i))) {
        lastEdit = i;
      } else if (lastEdit < 0 && done.get(i).equals(test)) {
        reproduced = true;
      }
    }
    if (lastEdit < 0) {
      boolean explored = script.exploration().stream().allMatch(p -> done.contains(p.command()));
      if (!explored) {
        return null;
      }
      return reproduced ? StepKind.EDIT : StepKind.REPRODUCE;
    }
    int lastTest = lastIndexAfter(done, test, lastEdit);
    if (lastTest < 0) {
      return StepKind.TEST;
    }
    int lastDiff = lastIndexAfter(done, script.command(StepKind.DIFF), lastEdit);
    boolean editWrong = !script.isGoldEdit(done.get(lastEdit));
    if (editWrong && lastDiff < lastTest
        && draw(script.task(), step, modelId, "notice") < ErrorModel.noticeProbability(tier)) {
      return StepKind.REPAIR;
    }
    return lastDiff < 0 ? StepKind.DIFF : StepKind.SUBMIT;
  }

  private static int lastIndexAfter(List<String> commands, String command, int after) {
    for (int i = commands.size() - 1; i > after; i--) {
      if (commands.get(i).equals(command)) {
        return i;
      }
    }
    return -1;
  }

  /** The bash commands of earlier assistant turns, in order; unreadable calls are skipped. */
  static List<String> commandsSoFar(List<JsonNode> messages) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : messages) {
      if (!"assistant".equals(m.path("role").asText())) {
        continue;
      }
      for (JsonNode call : m.path("tool_calls")) {
        JsonNode args = call.path("function").path("arguments");
        try {
          JsonNode parsed = args.isTextual() ? JSON.readTree(args.asText()) : args;
          if (parsed != null && parsed.path("command").isTextual()) {
            out.add(parsed.get("command").asText());
          }
        } catch (java.io.IOException malformed) {
          // a malformed call did nothing in the environment
        }
      }
    }
    return out;
  }

  private static Reply toolReply(StepKind kind, Mistake mistake, String content, String command) {
    return new Reply(kind, mistake, content, command, toolArguments(command));
  }

  static String toolArguments(String command) {
    return JsonNodeFactory.instance.objectNode().put("command", command).toString();
  }

  private double draw(SimTask task, int step, String modelId, String purpose) {
    return Draw.uniform(seed, task.instanceId(), step, modelId, purpose);
  }

  private static String thought(TaskScript.Planned step, TaskScript s) {
    String file = s.files().isEmpty() ? "the affected module" : s.files().get(0);
    return switch (step.kind()) {
      case LIST -> "THOUGHT: Let me start by looking at the layout of the repository.";
      case SEARCH -> "THOUGHT: Let me find where the code this issue is about is defined and used.";
      case VIEW -> step.command().startsWith("grep")
          ? "THOUGHT: Let me look at the existing tests for this behaviour."
          : "THOUGHT: Let me read the relevant part of the code.";
      case REPRODUCE -> "THOUGHT: Before changing anything, let me run the related tests to see"
          + " the current behaviour.";
      case EDIT -> "THOUGHT: I understand the problem now. Let me write the fix for " + file
          + " as a patch and apply it.";
      case REPAIR -> "THOUGHT: The tests still fail, so my change is not right. Let me revert"
          + " the files and apply a corrected patch.";
      case TEST -> "THOUGHT: Let me run the tests again to verify the fix.";
      case DIFF -> "THOUGHT: The change is in place. Let me write the diff of the modified source"
          + " files to patch.txt and review it.";
      case SUBMIT -> "THOUGHT: The patch looks correct. Submitting it.";
    };
  }
}
