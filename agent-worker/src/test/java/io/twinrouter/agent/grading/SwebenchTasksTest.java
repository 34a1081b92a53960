package io.twinrouter.agent.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset exports in JSON and JSON Lines, with errors that name the file and line. */
class SwebenchTasksTest {

  @TempDir Path tmp;

  private static final String ROW = "{\"instance_id\": \"psf__requests-2317\", \"repo\":"
      + " \"psf/requests\", \"version\": \"2.4\", \"base_commit\": \"091991b\", \"patch\": \"p\","
      + " \"test_patch\": \"t\", \"FAIL_TO_PASS\": \"[\\\"test_requests.py::T::test_a\\\"]\","
      + " \"PASS_TO_PASS\": \"[\\\"test_requests.py::T::test_b\\\", \\\"test_requests.py::T::test_c\\\"]\"}";

  @Test
  void readsJsonLinesAndJsonArrays() throws Exception {
    Path jsonl = Files.writeString(tmp.resolve("verified.jsonl"), ROW + "\n\n" + ROW + "\n");
    List<SwebenchTask> tasks = SwebenchTasks.read(jsonl);
    assertEquals(2, tasks.size());
    SwebenchTask t = tasks.get(0);
    assertEquals("psf/requests", t.repo());
    assertEquals(List.of("test_requests.py::T::test_a"), t.failToPass());
    assertEquals(2, t.passToPass().size());
    assertEquals("pytest-options", TestPlan.of(t).logParser());

    Path json = Files.writeString(tmp.resolve("verified.json"), "[" + ROW + ",\n" + ROW + "]");
    assertEquals(tasks, SwebenchTasks.read(json));
  }

  @Test
  void errorsNameFileAndLine() throws Exception {
    Path jsonl = Files.writeString(tmp.resolve("bad.jsonl"), ROW + "\n{\"instance_id\": \"x\"\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SwebenchTasks.read(jsonl));
    assertTrue(e.getMessage().startsWith(jsonl + ":2: not valid JSON"), e.getMessage());

    Path missing = Files.writeString(tmp.resolve("m.jsonl"), "{\"instance_id\": \"y-1\"}\n");
    e = assertThrows(IllegalArgumentException.class, () -> SwebenchTasks.read(missing));
    assertEquals(missing + ":1: y-1: missing field 'repo'", e.getMessage());
  }
}
