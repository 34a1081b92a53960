package io.twinrouter.agent.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real embedded H2 file database, across two actor systems (a restart). */
class CaseJournalTest {

  // generous: the first write opens the H2 file and Slick's pool, slow on a loaded 2-core machine
  private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(30);

  @TempDir Path dir;

  private ActorTestKit start(JournalDatabase db) {
    db.ensureSchema();
    Config config = db.pekkoConfig().withFallback(ConfigFactory.load());
    return ActorTestKit.create("journal-test", config);
  }

  private static RecordedStep step(int i, double cost, int exit) {
    return new RecordedStep(
        i,
        "deepseek/deepseek-v3.2",
        cost,
        List.of(new RecordedStep.RecordedAction("ls -la", exit)),
        "{\"step\":" + i + "}");
  }

  @Test
  void recordedStepsSurviveARestartAndAreNeverRecordedTwice() {
    JournalDatabase db = JournalDatabase.h2(dir);
    ActorTestKit first = start(db);
    try {
      ActorRef<CaseJournal.Command> journal = first.spawn(CaseJournal.create("run-1", "case-a"));
      TestProbe<CaseJournal.Ack> acks = first.createTestProbe();
      journal.tell(new CaseJournal.RecordStep(step(0, 0.01, 0), acks.getRef()));
      assertEquals(1, acks.receiveMessage(WAIT).steps());
      journal.tell(new CaseJournal.RecordStep(step(1, 0.02, 1), acks.getRef()));
      assertEquals(2, acks.receiveMessage(WAIT).steps());
      // a retried write of the same step is acknowledged but not persisted again
      journal.tell(new CaseJournal.RecordStep(step(1, 0.02, 1), acks.getRef()));
      assertEquals(2, acks.receiveMessage(WAIT).steps());
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = start(db);
    try {
      ActorRef<CaseJournal.Command> journal = second.spawn(CaseJournal.create("run-1", "case-a"));
      TestProbe<CaseJournal.History> histories = second.createTestProbe();
      journal.tell(new CaseJournal.Load(histories.getRef()));
      CaseJournal.History h = histories.receiveMessage(WAIT);
      assertEquals(2, h.steps().size());
      assertEquals(1, h.steps().get(1).actions().get(0).exitCode());
      assertEquals(0.03, h.billedUsd(), 1e-12);

      // another case of the same run has its own history
      ActorRef<CaseJournal.Command> other = second.spawn(CaseJournal.create("run-1", "case-b"));
      other.tell(new CaseJournal.Load(histories.getRef()));
      assertTrue(histories.receiveMessage(WAIT).steps().isEmpty());
    } finally {
      second.shutdownTestKit();
    }
  }

  @Test
  void aDiscardedHistoryRestartsFromStepZeroAndSaysWhy() {
    ActorTestKit kit = start(JournalDatabase.h2(dir));
    try {
      ActorRef<CaseJournal.Command> journal = kit.spawn(CaseJournal.create("run-2", "case-a"));
      TestProbe<CaseJournal.Ack> acks = kit.createTestProbe();
      journal.tell(new CaseJournal.RecordStep(step(0, 0.01, 0), acks.getRef()));
      acks.receiveMessage(WAIT);
      journal.tell(new CaseJournal.Discard("step 0: exit code 2, recorded 0", acks.getRef()));
      assertEquals(0, acks.receiveMessage(WAIT).steps());
      journal.tell(new CaseJournal.Finish("{\"resolved\":true}", acks.getRef()));
      acks.receiveMessage(WAIT);
      // a finished case takes no more steps
      journal.tell(new CaseJournal.RecordStep(step(0, 0.5, 0), acks.getRef()));
      assertEquals(0, acks.receiveMessage(WAIT).steps());

      TestProbe<CaseJournal.History> histories = kit.createTestProbe();
      journal.tell(new CaseJournal.Load(histories.getRef()));
      CaseJournal.History h = histories.receiveMessage(WAIT);
      assertEquals(List.of("step 0: exit code 2, recorded 0"), h.discards());
      assertTrue(h.finished());
      assertTrue(h.steps().isEmpty());
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aLargeStepIsStoredInlineAndReadBackWhole() throws Exception {
    JournalDatabase db = JournalDatabase.h2(dir);
    String payload = "{\"observation\":\"" + "y".repeat(2_000_000) + "\"}";
    ActorTestKit kit = start(db);
    try {
      ActorRef<CaseJournal.Command> journal = kit.spawn(CaseJournal.create("run-3", "case-big"));
      TestProbe<CaseJournal.Ack> acks = kit.createTestProbe();
      journal.tell(new CaseJournal.RecordStep(
          new RecordedStep(0, "m", 0.5, List.of(), payload), acks.getRef()));
      assertEquals(1, acks.receiveMessage(WAIT).steps());
    } finally {
      kit.shutdownTestKit();
    }
    // the payload columns are plain binary, not H2's separately stored LOBs
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), "sa", "");
        java.sql.ResultSet rs = c.createStatement().executeQuery(
            "SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE COLUMN_NAME = 'event_payload'")) {
      assertTrue(rs.next());
      assertEquals("BINARY VARYING", rs.getString(1));
    }
    ActorTestKit again = start(db);
    try {
      TestProbe<CaseJournal.History> histories = again.createTestProbe();
      again.spawn(CaseJournal.create("run-3", "case-big")).tell(new CaseJournal.Load(histories.getRef()));
      assertEquals(payload, histories.receiveMessage(WAIT).steps().get(0).payloadJson());
    } finally {
      again.shutdownTestKit();
    }
  }

  @Test
  void schemaCreationIsIdempotentAndNeverPrintsAPassword() {
    JournalDatabase db = new JournalDatabase(
        "jdbc:h2:file:" + dir.resolve("x") + ";PASSWORD=hunter2", "sa", "");
    assertTrue(!db.toString().contains("hunter2"), db.toString());
    JournalDatabase h2 = JournalDatabase.h2(dir);
    h2.ensureSchema();
    h2.ensureSchema();
  }
}
