package io.twinrouter.agent.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.sim.ErrorModel.StepKind;
import io.twinrouter.config.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scripted trajectory and the documented error model, without HTTP. */
class SimPolicyTest {
  private static final int MAX_STEPS = 60;

  @Test
  void aFormatErrorTurnCountsSoTheRetryGetsAFreshDraw() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode sys = f.objectNode().put("role", "system").put("content", "s");
    ObjectNode task = f.objectNode().put("role", "user").put("content", "task");
    ObjectNode answer = f.objectNode().put("role", "assistant").put("content", "a");
    ObjectNode tool = f.objectNode().put("role", "tool").put("content", "o");
    ObjectNode formatError = f.objectNode().put("role", "user").put("content", "Tool call error");
    assertEquals(0, SimPolicy.turn(List.of(sys, task)));
    assertEquals(1, SimPolicy.turn(List.of(sys, task, answer, tool)));
    // mini drops the malformed answer and appends a format-error user message instead
    assertEquals(2, SimPolicy.turn(List.of(sys, task, answer, tool, formatError)));
  }

  @Test
  void errorProbabilityGrowsWithDifficultyAndFallsWithTier() {
    for (StepKind k : StepKind.values()) {
      for (Difficulty d : Difficulty.values()) {
        for (int t = 1; t < 4; t++) {
          assertTrue(ErrorModel.errorProbability(Tier.fromId(t), d, k)
              < ErrorModel.errorProbability(Tier.fromId(t - 1), d, k));
        }
      }
      for (Tier t : Tier.values()) {
        assertTrue(ErrorModel.errorProbability(t, Difficulty.EASY, k)
            < ErrorModel.errorProbability(t, Difficulty.HARD, k));
      }
    }
    assertEquals(0.75, ErrorModel.errorProbability(Tier.LOW, Difficulty.HARD, StepKind.EDIT));
    assertEquals(0.95, ErrorModel.noticeProbability(Tier.HIGH));
  }

  @Test
  void aCorrectRunIssuesTheGoldCommandsInOrder() {
    SimTask task = SimConversation.loadTiny().get(0);
    TaskScript script = new TaskScript(task);
    // seed chosen so that no draw errs: the plain script
    SimConversation c = run(task, Tier.HIGH, 3);
    List<String> expected = script.goldSequence();
    assertEquals(expected, c.commands());
    assertEquals("ls", c.commands().get(0));
    assertEquals(List.of("ls", "grep -rn \"clamp\" tinycalc | head -n 20",
        "cat -n tinycalc/ops.py | sed -n '1,17p'", "grep -n \"def test\" tests/test_ops.py | head -n 30",
        "pytest -rA tests/test_ops.py"), c.commands().subList(0, 5));
    assertTrue(c.commands().get(5).contains(task.patch()));
    assertTrue(c.commands().get(5).endsWith("git apply /tmp/fix.patch && git diff --stat"));
    assertEquals("pytest -rA tests/test_ops.py", c.commands().get(6));
    assertEquals("git diff -- tinycalc/ops.py > patch.txt && cat patch.txt", c.commands().get(7));
    assertEquals("echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && cat patch.txt", c.commands().get(8));
    assertEquals(9, c.commands().size());
    // a two-file patch explores both files
    TaskScript two = new TaskScript(SimConversation.loadTiny().get(1));
    assertEquals(List.of("ls", "grep -rn \"TOKEN\" tinycalc | head -n 20",
        "grep -rn \"evaluate\" tinycalc | head -n 20", "cat -n tinycalc/parse.py | sed -n '1,23p'",
        "cat -n tinycalc/eval.py | sed -n '1,17p'", "grep -n \"def test\" tests/test_parse.py | head -n 30"),
        two.exploration().stream().map(TaskScript.Planned::command).toList());
  }

  @Test
  void highResolvesNearlyAllEasyTasksAndLowFailsHardOnesOften() {
    SimTask easy = SimConversation.loadTiny().get(0);
    SimTask hard = withDifficulty(SimConversation.loadTiny().get(1), Difficulty.HARD);
    int highEasy = 0;
    int lowHard = 0;
    int highHard = 0;
    int runs = 120;
    for (int seed = 0; seed < runs; seed++) {
      highEasy += goldSubmitted(easy, Tier.HIGH, seed) ? 1 : 0;
      highHard += goldSubmitted(hard, Tier.HIGH, seed) ? 1 : 0;
      lowHard += goldSubmitted(hard, Tier.LOW, seed) ? 1 : 0;
    }
    assertTrue(highEasy >= 0.97 * runs, "high/easy " + highEasy);
    assertTrue(highHard >= 0.9 * runs, "high/hard " + highHard);
    assertTrue(lowHard <= 0.5 * runs, "low/hard " + lowHard);
  }

  @Test
  void sameSeedSameAnswersOtherSeedOtherMistakes() {
    SimTask hard = withDifficulty(SimConversation.loadTiny().get(1), Difficulty.HARD);
    assertEquals(run(hard, Tier.LOW, 11).messages(), run(hard, Tier.LOW, 11).messages());
    long distinct =
        java.util.stream.LongStream.range(0, 10)
            .mapToObj(s -> run(hard, Tier.LOW, s).messages().toString())
            .distinct().count();
    assertTrue(distinct > 3, "seeds should change the low tier's mistakes");
  }

  private static boolean goldSubmitted(SimTask task, Tier tier, long seed) {
    SimConversation c = run(task, tier, seed);
    if (!c.submitted()) {
      return false;
    }
    String lastEdit = null;
    for (String cmd : c.commands()) {
      if (TaskScript.isEdit(cmd)) {
        lastEdit = cmd;
      }
    }
    return lastEdit != null && new TaskScript(task).isGoldEdit(lastEdit);
  }

  static SimConversation run(SimTask task, Tier tier, long seed) {
    SimPolicy policy = new SimPolicy(seed);
    TaskScript script = new TaskScript(task);
    SimConversation c = new SimConversation(task.problemStatement());
    for (int i = 0; i < MAX_STEPS && !c.submitted(); i++) {
      SimPolicy.Reply r = policy.next(script, tier, "model-" + tier.wireName(), c.messagesAsJson());
      ObjectNode msg = JsonNodeFactory.instance.objectNode().put("role", "assistant").put("content", r.content());
      if (r.hasToolCall()) {
        ObjectNode call = msg.putArray("tool_calls").addObject().put("id", "call_" + i).put("type", "function");
        call.putObject("function").put("name", "bash").put("arguments", r.rawArguments());
      }
      c.accept(msg);
    }
    return c;
  }

  static SimTask withDifficulty(SimTask t, Difficulty d) {
    return new SimTask(t.instanceId(), t.repo(), t.problemStatement(), t.patch(), t.testPatch(),
        t.failToPass(), t.passToPass(), t.testCmd(), t.testDirectives(), d);
  }
}
