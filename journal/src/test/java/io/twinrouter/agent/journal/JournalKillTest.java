package io.twinrouter.agent.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged step survives {@code kill -9} of the JVM that wrote it: a real worker process
 * journals steps on embedded H2 and is killed with SIGKILL right after an acknowledgement. While
 * it runs, the same journal cannot be opened by another process; once it is dead, it opens at once.
 */
class JournalKillTest {

  @TempDir Path dir;

  @Test
  void everyAcknowledgedStepSurvivesSigkill() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process worker = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        JournalWriterMain.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    int lastAcked = -1;
    IllegalStateException refusedWhileOpen = null;
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("acked ")) {
          lastAcked = Integer.parseInt(line.substring(6));
          if (lastAcked == 5 && refusedWhileOpen == null) {
            // while the worker holds the journal, a second process is refused, with a clear reason
            refusedWhileOpen = assertThrows(IllegalStateException.class,
                () -> JournalDatabase.h2(dir).ensureSchema());
          }
          if (lastAcked == 20) {
            // kill -9 (Process.destroyForcibly would also close our end of its output)
            new ProcessBuilder("kill", "-9", Long.toString(worker.pid())).start().waitFor();
            break;
          }
        }
      }
      // acknowledgements printed before the kill landed count too
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("acked ")) {
          lastAcked = Integer.parseInt(line.substring(6));
        }
      }
    } finally {
      worker.destroyForcibly();
      assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(lastAcked >= 20, "the worker never got going: last ack " + lastAcked);
    assertNotNull(refusedWhileOpen, "the journal was not refused while the worker held it");
    assertTrue(refusedWhileOpen.getMessage().contains("another run is using this output directory"),
        refusedWhileOpen.getMessage());

    JournalDatabase db = JournalDatabase.h2(dir);
    ActorTestKit kit = ActorTestKit.create("after-kill", db.pekkoConfig().withFallback(ConfigFactory.load()));
    try {
      TestProbe<CaseJournal.History> histories = kit.createTestProbe();
      kit.spawn(CaseJournal.create("run-kill", "case-kill")).tell(new CaseJournal.Load(histories.getRef()));
      CaseJournal.History h = histories.receiveMessage(Duration.ofSeconds(60));
      assertTrue(h.steps().size() > lastAcked,
          "acknowledged " + (lastAcked + 1) + " steps, " + h.steps().size() + " survived");
      assertEquals(IntStream.range(0, h.steps().size()).boxed().toList(),
          h.steps().stream().map(RecordedStep::stepIndex).toList());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
