package io.twinrouter.agent.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.sandbox.ExecResult;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SentinelTest {

  private static Optional<String> submit(String output, int rc) {
    return Sentinel.submission(new ExecResult(rc, output, "", Duration.ofMillis(1), false));
  }

  @Test
  void theSubmissionIsEverythingAfterTheFirstLine() {
    String patch = "diff --git a/x.py b/x.py\n+fix\n";
    assertEquals(Optional.of(patch), submit("COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT\n" + patch, 0));
  }

  @Test
  void leadingBlankLinesAreSkipped() {
    assertEquals(Optional.of("p\n"), submit("\n  \nCOMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT\np\n", 0));
  }

  @Test
  void aFailingCommandDoesNotSubmit() {
    assertTrue(submit("COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT\ncat: patch.txt: No such file\n", 1).isEmpty());
  }

  @Test
  void theSentinelMustBeTheFirstLineAlone() {
    assertTrue(submit("hello\nCOMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT\n", 0).isEmpty());
    assertTrue(submit("echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT\n", 0).isEmpty());
  }

  @Test
  void aSentinelWithNothingAfterItSubmitsAnEmptyPatch() {
    assertEquals(Optional.of(""), submit("COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT", 0));
  }
}
