package io.twinrouter.agent.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimTaskLoaderTest {

  @Test
  void readsJsonlWithEncodedTestListsAndDerivesDifficulty() {
    List<SimTask> tasks = SimConversation.loadTiny();
    assertEquals(2, tasks.size());
    SimTask easy = tasks.get(0);
    assertEquals("tinycalc__tinycalc-1", easy.instanceId());
    assertEquals(List.of("tests/test_ops.py::test_bounds_are_returned_as_is"), easy.failToPass());
    assertEquals(Difficulty.EASY, easy.difficulty());
    assertEquals("pytest -rA tests/test_ops.py", easy.testCommandLine());
    // no difficulty field: 18 changed lines in two files
    assertEquals(Difficulty.MEDIUM, tasks.get(1).difficulty());
  }

  @Test
  void readsAJsonArrayAndDjangoDirectives(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("tasks.json");
    Files.writeString(f, "[{\"instance_id\":\"django__django-1\",\"problem_statement\":\"p\","
        + "\"patch\":\"diff --git a/x.py b/x.py\\n+a\\n\","
        + "\"test_patch\":\"diff --git a/tests/forms/test_a.py b/tests/forms/test_a.py\\n"
        + "diff --git a/tests/forms/data.json b/tests/forms/data.json\\n\","
        + "\"FAIL_TO_PASS\":[\"t1\"],\"difficulty\":\"HARD\"}]");
    SimTask t = SimTaskLoader.load(f).get(0);
    assertEquals("django/django", t.repo());
    assertEquals(List.of("forms.test_a"), t.testDirectives());
    assertTrue(t.testCmd().startsWith("./tests/runtests.py"));
    assertEquals(Difficulty.HARD, t.difficulty());
    assertEquals("./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 forms.test_a",
        t.testCommandLine());
    SimTask complete = new SimTask(t.instanceId(), t.repo(), t.problemStatement(), t.patch(), t.testPatch(),
        t.failToPass(), t.passToPass(), "python3 -m pytest -rA forms.test_a", t.testDirectives(), t.difficulty());
    assertEquals("python3 -m pytest -rA forms.test_a", complete.testCommandLine());
  }

  @Test
  void errorsNameTheLineAndField(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("tasks.jsonl");
    Files.writeString(f, "{\"instance_id\":\"a__b-1\",\"problem_statement\":\"p\",\"patch\":\"x\"}\n"
        + "{\"instance_id\":\"a__b-2\",\"problem_statement\":\"p\"}\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimTaskLoader.load(f));
    assertTrue(e.getMessage().contains(":2") && e.getMessage().contains("field patch"), e.getMessage());
    Files.writeString(f, "{\"instance_id\":\"a__b-1\",\"problem_statement\":\"p\",\"patch\":\"x\",\"difficulty\":\"brutal\"}\n");
    e = assertThrows(IllegalArgumentException.class, () -> SimTaskLoader.load(f));
    assertTrue(e.getMessage().contains("difficulty"), e.getMessage());
    Files.writeString(f, "{not json\n");
    e = assertThrows(IllegalArgumentException.class, () -> SimTaskLoader.load(f));
    assertTrue(e.getMessage().contains("tasks.jsonl:1: not valid JSON"), e.getMessage());
  }
}
