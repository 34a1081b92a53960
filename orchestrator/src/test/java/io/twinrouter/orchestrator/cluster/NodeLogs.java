package io.twinrouter.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the cluster tests read in a node JVM's log. */
final class NodeLogs {
  private static final Pattern STARTS = Pattern.compile("case (\\S+) of run \\S+ starts on node");
  private static final Pattern REPORTED = Pattern.compile("case (\\S+) of run \\S+ reported from node");

  private NodeLogs() {}

  /** Cases are placed on the nodes that are up when they start: submit once all three are. */
  static void awaitUp(Path log, Process node) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (Files.isRegularFile(log) && Files.readString(log).contains("is up in the cluster")) {
        return;
      }
      assertTrue(node.isAlive(), "node died: " + Files.readString(log));
      Thread.sleep(200);
    }
    throw new AssertionError("node not up after 5 minutes: " + log);
  }

  /** Cases the node's log says it started and did not report. */
  static Set<String> inFlight(Path log) throws IOException {
    if (!Files.isRegularFile(log)) {
      return Set.of();
    }
    Set<String> started = new HashSet<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher s = STARTS.matcher(line);
      Matcher r = REPORTED.matcher(line);
      if (s.find()) {
        started.add(s.group(1));
      } else if (r.find()) {
        started.remove(r.group(1));
      }
    }
    return started;
  }
}
