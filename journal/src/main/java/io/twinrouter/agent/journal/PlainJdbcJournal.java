package io.twinrouter.agent.journal;

import com.typesafe.config.Config;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import scala.concurrent.Future;

/**
 * The journal plugin of live runs: pekko-persistence-jdbc's tables and row format, written with
 * plain JDBC on the journal's own thread ({@code twinrouter.journal-dispatcher}, which every
 * case's {@link CaseJournal} shares).
 *
 * <p>Why not the library's own write path: a case waits for every step's write before its next
 * model call, and the library's path (a stream queue, Slick's executor, a connection pool, each
 * a thread handoff) took about 2.7 ms per acknowledged write on a cold JVM on two cores, against
 * 0.3 to 0.5 ms for H2's commit itself; this path took 1.4 ms ({@code bench live},
 * docs/live-bench.md). Here the journal's thread serialises the events and commits them itself.
 * The tables are the library's, so its read journal and snapshot store keep working on the same
 * database, and journals written by either plugin are read by the other.
 *
 * <p>Tagged events are rejected (the persistent actor fails, as Pekko has it for any rejected
 * event; the journal goes on): nothing here tags, and the tag table needs the generated ordering
 * column, which this path does not read back.
 */
public final class PlainJdbcJournal extends AsyncWriteJournal {

  private final EventJournalTable table;
  private final Serialization serialization;

  public PlainJdbcJournal(Config config) {
    this.table = new EventJournalTable(new JournalDatabase(config.getString("url"),
        config.getString("user"), config.getString("password")));
    this.serialization = SerializationExtension.get(context().system());
  }

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(
      Iterable<AtomicWrite> messages) {
    List<Optional<Exception>> results = new ArrayList<>();
    List<EventJournalTable.Row> rows = new ArrayList<>();
    for (AtomicWrite write : messages) {
      List<EventJournalTable.Row> writeRows = new ArrayList<>();
      try {
        var it = write.payload().iterator();
        while (it.hasNext()) {
          writeRows.add(toRow(it.next()));
        }
        rows.addAll(writeRows);
        results.add(Optional.empty());
      } catch (Exception e) {
        // a refused write is rejected alone; the others of the batch are still stored
        results.add(Optional.of(e));
      }
    }
    return now(() -> {
      if (!rows.isEmpty()) {
        table.insertAll(rows);
      }
      return results;
    });
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    return now(() -> {
      table.markDeleted(persistenceId, toSequenceNr);
      return null;
    });
  }

  @Override
  public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr,
      long toSequenceNr, long max, Consumer<PersistentRepr> replayCallback) {
    return now(() -> {
      List<PersistentRepr> replayed = new ArrayList<>();
      table.replay(persistenceId, fromSequenceNr, toSequenceNr, max,
          row -> replayed.add(toRepr(row)));
      replayed.forEach(replayCallback);
      return null;
    });
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    return now(() -> table.highestSequenceNr(persistenceId));
  }

  /** Database work that may fail. */
  private interface Work<T> {
    T run() throws Exception;
  }

  /**
   * Runs the work here, on the plugin's thread, and hands Pekko a future that is already
   * complete: the write is one hop to this thread and one back, with no executor in between.
   */
  private static <T> Future<T> now(Work<T> work) {
    try {
      return Futures.successful(work.run());
    } catch (Exception e) {
      return Futures.failed(e);
    }
  }

  @Override
  public void postStop() {
    table.close();
  }

  private EventJournalTable.Row toRow(PersistentRepr repr) throws Exception {
    Object payload = repr.payload();
    if (payload instanceof Tagged) {
      throw new IllegalArgumentException("event " + repr.sequenceNr() + " of "
          + repr.persistenceId() + " is tagged; this journal stores no tags");
    }
    Serialized event = serialize(payload);
    Serialized meta = repr.metadata().isDefined() ? serialize(repr.metadata().get()) : null;
    long timestamp = repr.timestamp() == 0 ? System.currentTimeMillis() : repr.timestamp();
    return new EventJournalTable.Row(repr.persistenceId(), repr.sequenceNr(), repr.deleted(),
        repr.writerUuid(), timestamp, repr.manifest(), event.bytes(), event.serializerId(),
        event.manifest(), meta == null ? null : meta.bytes(),
        meta == null ? null : meta.serializerId(), meta == null ? null : meta.manifest());
  }

  private PersistentRepr toRepr(EventJournalTable.Row row) {
    Object payload = serialization.deserialize(row.payload(), row.serializerId(),
        row.serializerManifest()).get();
    PersistentRepr repr = PersistentRepr.apply(payload, row.sequenceNr(), row.persistenceId(),
        row.adapterManifest(), row.deleted(), null, row.writer()).withTimestamp(
            row.writeTimestamp());
    if (row.metaPayload() != null && row.metaSerializerId() != null) {
      repr = repr.withMetadata(serialization.deserialize(row.metaPayload(),
          row.metaSerializerId(), row.metaSerializerManifest()).get());
    }
    return repr;
  }

  private record Serialized(byte[] bytes, int serializerId, String manifest) {}

  private Serialized serialize(Object value) throws NotSerializableException {
    Serializer serializer = serialization.findSerializerFor(value);
    String manifest = Serializers.manifestFor(serializer, value);
    // serialize (not toBinary): it supplies the transport information an ActorRef field needs
    byte[] bytes;
    try {
      bytes = serialization.serialize(value).get();
    } catch (Exception e) {
      if (e instanceof NotSerializableException n) {
        throw n;
      }
      throw (NotSerializableException) new NotSerializableException(
          value.getClass().getName() + ": " + e.getMessage()).initCause(e);
    }
    return new Serialized(bytes, serializer.identifier(), manifest);
  }
}
