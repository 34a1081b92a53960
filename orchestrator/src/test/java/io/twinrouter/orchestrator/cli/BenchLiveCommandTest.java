package io.twinrouter.orchestrator.cli;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bench live} on a tiny size: it runs both parts and prints their figures (not timed). */
class BenchLiveCommandTest {

  @Test
  void printsBothPartsOnATinySize() {
    CliOutput r = CliOutput.run("bench", "live", "--cases", "1", "--steps", "3", "--rounds", "1",
        "--warmup-rounds", "1", "--max-warmup-rounds", "2",
        "--concurrent", "3", "--concurrent-steps", "2", "--latency-ms", "5");
    assertEquals(0, r.exitCode(), r.stdout());
    String out = r.stdout();
    for (String row : new String[] {"bare loop (baseline)", "+ router", "+ actors, trace files",
        "+ H2 journal", "orchestration overhead", "bare loops, one thread each (base)",
        "run supervisor + actors + journal", "heap of 3 journalled cases"}) {
      assertTrue(out.contains(row), "no '" + row + "' in:\n" + out);
    }
    // Every way of running the same cases bills the same: the figures compare like with like.
    Matcher cost = Pattern.compile("(?m)^  (bare loop \\(baseline\\)|\\+ .+?)\\s+[\\d.]+\\s+"
        + "[\\d.]+\\s+\\S*\\s+[\\d.]+\\s+\\S*\\s+\\d+\\s+([\\d.]+)$").matcher(out);
    String first = null;
    int rows = 0;
    while (cost.find()) {
      rows++;
      first = first == null ? cost.group(2) : first;
      assertEquals(first, cost.group(2), cost.group(1) + " in:\n" + out);
    }
    assertEquals(4, rows, out);
  }

  @Test
  void nonPositiveSizesAreUserErrors() {
    assertEquals(2, CliOutput.run("bench", "live", "--cases", "0").exitCode());
    assertEquals(2, CliOutput.run("bench", "live", "--latency-ms", "-1").exitCode());
    assertEquals(2, CliOutput.run("bench", "live", "--warmup-rounds", "0").exitCode());
  }
}
