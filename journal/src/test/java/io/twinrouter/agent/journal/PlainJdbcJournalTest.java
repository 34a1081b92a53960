package io.twinrouter.agent.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PlainJdbcJournal} against a real embedded H2 file database, next to the library whose
 * tables it shares (pekko-persistence-jdbc): each reads what the other wrote, the library's read
 * journal sees the plugin's events, and a database that goes away mid-run loses no acknowledged
 * step and is reconnected.
 */
class PlainJdbcJournalTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  /** The H2 journal in the test's directory, its schema created. */
  private JournalDatabase database() {
    JournalDatabase db = JournalDatabase.h2(dir);
    db.ensureSchema();
    return db;
  }

  /** pekko-persistence-jdbc's own journal plugin on the same database. */
  private static Config libraryJournal(JournalDatabase db) {
    return ConfigFactory.parseString("""
        pekko.persistence.journal.plugin = "jdbc-journal"
        jdbc-journal.use-shared-db = "slick"
        """).withFallback(db.pekkoConfig());
  }

  private static ActorTestKit start(String name, Config config) {
    return ActorTestKit.create(name, config.withFallback(ConfigFactory.load()));
  }

  private static RecordedStep step(int i) {
    return new RecordedStep(i, "m", 0.01 * (i + 1),
        List.of(new RecordedStep.RecordedAction("echo " + i, i)), "{\"step\":" + i + "}");
  }

  private static void record(ActorTestKit kit, ActorRef<CaseJournal.Command> journal, int from,
      int to) {
    TestProbe<CaseJournal.Ack> acks = kit.createTestProbe();
    for (int i = from; i < to; i++) {
      journal.tell(new CaseJournal.RecordStep(step(i), acks.getRef()));
      assertEquals(i + 1, acks.receiveMessage(WAIT).steps());
    }
  }

  private static CaseJournal.History load(ActorTestKit kit, String runId, String caseId) {
    TestProbe<CaseJournal.History> histories = kit.createTestProbe();
    kit.spawn(CaseJournal.create(runId, caseId)).tell(new CaseJournal.Load(histories.getRef()));
    return histories.receiveMessage(WAIT);
  }

  private static List<Integer> stepIndexes(CaseJournal.History h) {
    return h.steps().stream().map(RecordedStep::stepIndex).toList();
  }

  @Test
  void journalsWrittenByEitherPluginAreReadByTheOther() throws Exception {
    JournalDatabase db = database();

    ActorTestKit library = start("library-writes", libraryJournal(db));
    try {
      record(library, library.spawn(CaseJournal.create("run", "case")), 0, 2);
    } finally {
      library.shutdownTestKit();
    }

    ActorTestKit plain = start("plain-continues", db.pekkoConfig());
    try {
      ActorRef<CaseJournal.Command> journal = plain.spawn(CaseJournal.create("run", "case"));
      TestProbe<CaseJournal.History> histories = plain.createTestProbe();
      journal.tell(new CaseJournal.Load(histories.getRef()));
      assertEquals(List.of(0, 1), stepIndexes(histories.receiveMessage(WAIT)));
      record(plain, journal, 2, 4);

      // the library's read journal, configured on the same tables, sees all four events in order
      JdbcReadJournal query = PersistenceQuery.get(plain.system().classicSystem())
          .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
      List<EventEnvelope> events = query
          .currentEventsByPersistenceId(CaseJournal.persistenceId("run", "case").id(), 0,
              Long.MAX_VALUE)
          .runWith(Sink.seq(), plain.system())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(List.of(1L, 2L, 3L, 4L),
          events.stream().map(EventEnvelope::sequenceNr).toList());
      assertEquals(step(3), ((CaseJournal.StepRecorded) events.get(3).event()).step());
    } finally {
      plain.shutdownTestKit();
    }

    ActorTestKit libraryAgain = start("library-reads", libraryJournal(db));
    try {
      CaseJournal.History h = load(libraryAgain, "run", "case");
      assertEquals(List.of(0, 1, 2, 3), stepIndexes(h));
      assertEquals(step(2), h.steps().get(2));
    } finally {
      libraryAgain.shutdownTestKit();
    }
  }

  @Test
  void aDatabaseThatGoesAwayLosesNoAcknowledgedStepAndIsReconnected() throws Exception {
    JournalDatabase db = database();
    ActorTestKit kit = start("reconnects", db.pekkoConfig());
    try {
      ActorRef<CaseJournal.Command> journal = kit.spawn(CaseJournal.create("run", "case"));
      record(kit, journal, 0, 2);

      // close the embedded database under the plugin's open connection
      try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
        c.createStatement().execute("SHUTDOWN");
      }
      TestProbe<CaseJournal.Ack> acks = kit.createTestProbe();
      journal.tell(new CaseJournal.RecordStep(step(2), acks.getRef()));
      // the write fails: no acknowledgement, and the journal actor stops (Pekko's rule for a
      // failed persist), which the case runner meets as an infrastructure failure
      acks.expectNoMessage(Duration.ofSeconds(2));
      acks.expectTerminated(journal, WAIT);

      // a new incarnation reconnects, finds exactly the acknowledged steps, and goes on
      ActorRef<CaseJournal.Command> again = kit.spawn(CaseJournal.create("run", "case"));
      TestProbe<CaseJournal.History> histories = kit.createTestProbe();
      again.tell(new CaseJournal.Load(histories.getRef()));
      assertEquals(List.of(0, 1), stepIndexes(histories.receiveMessage(WAIT)));
      record(kit, again, 2, 3);
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** An event no serializer is bound to (not JournalSerializable, and Java serialization is off). */
  record Unserializable(String text) {}

  private static org.apache.pekko.actor.typed.Behavior<String> persistsUnserializable() {
    return new org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior<
        String, Unserializable, String>(
        org.apache.pekko.persistence.typed.PersistenceId.ofUniqueId("unserializable")) {
      @Override
      public String emptyState() {
        return "";
      }

      @Override
      public org.apache.pekko.persistence.typed.javadsl.CommandHandler<String, Unserializable,
          String> commandHandler() {
        return (state, cmd) -> Effect().persist(new Unserializable(cmd));
      }

      @Override
      public org.apache.pekko.persistence.typed.javadsl.EventHandler<String, Unserializable>
          eventHandler() {
        return (state, event) -> event.text();
      }
    };
  }

  @Test
  void anEventThatCannotBeSerialisedIsRejectedAloneAndNothingIsStored() throws Exception {
    JournalDatabase db = database();
    ActorTestKit kit = start("rejects", db.pekkoConfig());
    try {
      ActorRef<String> bad = kit.spawn(persistsUnserializable());
      bad.tell("x");
      // Pekko stops a persistent actor whose event the journal rejected
      kit.createTestProbe().expectTerminated(bad, WAIT);
      // the journal goes on for everyone else
      record(kit, kit.spawn(CaseJournal.create("run", "case")), 0, 1);
    } finally {
      kit.shutdownTestKit();
    }
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        var rs = c.createStatement().executeQuery(
            "SELECT \"persistence_id\" FROM \"event_journal\"")) {
      List<String> ids = new java.util.ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      assertEquals(List.of(CaseJournal.persistenceId("run", "case").id()), ids);
    }
  }
}
