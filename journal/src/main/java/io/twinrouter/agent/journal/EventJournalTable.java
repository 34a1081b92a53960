package io.twinrouter.agent.journal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code event_journal} table of pekko-persistence-jdbc's schema (H2 and PostgreSQL), read and
 * written over one plain JDBC connection. Rows have the library's exact layout, so a journal
 * written here is readable by its plugins and the other way round.
 *
 * <p>One connection, used by one caller at a time (every method is synchronized): the journal
 * plugin calls it from the journal's own thread. Each call is one transaction. A failed statement
 * closes the connection, and the next call opens a new one, so a database that restarts is
 * picked up again.
 */
final class EventJournalTable implements AutoCloseable {

  /** A row as stored: the serialised event and its serialiser's id and manifest. */
  record Row(String persistenceId, long sequenceNr, boolean deleted, String writer,
      long writeTimestamp, String adapterManifest, byte[] payload, int serializerId,
      String serializerManifest, byte[] metaPayload, Integer metaSerializerId,
      String metaSerializerManifest) {}

  private static final String INSERT = "INSERT INTO \"event_journal\" (\"deleted\","
      + " \"persistence_id\", \"sequence_number\", \"writer\", \"write_timestamp\","
      + " \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\","
      + " \"meta_payload\", \"meta_ser_id\", \"meta_ser_manifest\")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String SELECT = "SELECT \"persistence_id\", \"sequence_number\","
      + " \"deleted\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\","
      + " \"event_ser_id\", \"event_ser_manifest\", \"meta_payload\", \"meta_ser_id\","
      + " \"meta_ser_manifest\" FROM \"event_journal\" WHERE \"persistence_id\" = ?"
      + " AND \"sequence_number\" >= ? AND \"sequence_number\" <= ? AND \"deleted\" = FALSE"
      + " ORDER BY \"sequence_number\"";
  private static final String HIGHEST = "SELECT MAX(\"sequence_number\") FROM \"event_journal\""
      + " WHERE \"persistence_id\" = ?";
  private static final String MARK_DELETED = "UPDATE \"event_journal\" SET \"deleted\" = TRUE"
      + " WHERE \"persistence_id\" = ? AND \"sequence_number\" <= ?";

  private final JournalDatabase database;
  private Connection connection;
  private PreparedStatement insert;

  EventJournalTable(JournalDatabase database) {
    this.database = database;
  }

  /** Inserts the rows in one transaction: all are stored or none. */
  synchronized void insertAll(List<Row> rows) throws SQLException {
    inTransaction(c -> {
      for (Row r : rows) {
        insert.setBoolean(1, r.deleted());
        insert.setString(2, r.persistenceId());
        insert.setLong(3, r.sequenceNr());
        insert.setString(4, r.writer());
        insert.setLong(5, r.writeTimestamp());
        insert.setString(6, r.adapterManifest());
        insert.setBytes(7, r.payload());
        insert.setInt(8, r.serializerId());
        insert.setString(9, r.serializerManifest());
        insert.setBytes(10, r.metaPayload());
        if (r.metaSerializerId() == null) {
          insert.setNull(11, java.sql.Types.INTEGER);
        } else {
          insert.setInt(11, r.metaSerializerId());
        }
        insert.setString(12, r.metaSerializerManifest());
        insert.addBatch();
      }
      insert.executeBatch();
      return null;
    });
  }

  /** Feeds the rows of {@code persistenceId} from {@code from} to {@code to}, at most {@code max}. */
  synchronized void replay(String persistenceId, long from, long to, long max, Consumer<Row> rows)
      throws SQLException {
    inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(SELECT)) {
        st.setString(1, persistenceId);
        st.setLong(2, from);
        st.setLong(3, to);
        try (ResultSet rs = st.executeQuery()) {
          for (long n = 0; n < max && rs.next(); n++) {
            int metaId = rs.getInt(11);
            Integer metaSerializerId = rs.wasNull() ? null : metaId;
            rows.accept(new Row(rs.getString(1), rs.getLong(2), rs.getBoolean(3),
                rs.getString(4), rs.getLong(5), rs.getString(6), rs.getBytes(7), rs.getInt(8),
                rs.getString(9), rs.getBytes(10), metaSerializerId, rs.getString(12)));
          }
        }
      }
      return null;
    });
  }

  /** The highest sequence number ever written for the id (deleted rows count), 0 for none. */
  synchronized long highestSequenceNr(String persistenceId) throws SQLException {
    return inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(HIGHEST)) {
        st.setString(1, persistenceId);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 0L;
        }
      }
    });
  }

  /**
   * Marks the rows up to {@code toSequenceNr} deleted. They stay in the table, so the highest
   * sequence number survives and is never handed out twice (as pekko-persistence-jdbc does).
   */
  synchronized void markDeleted(String persistenceId, long toSequenceNr) throws SQLException {
    inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(MARK_DELETED)) {
        st.setString(1, persistenceId);
        st.setLong(2, toSequenceNr);
        return st.executeUpdate();
      }
    });
  }

  /** Statements on the connection, ending in the transaction's commit. */
  private interface Statements<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs the statements and commits; on failure, drops the connection and rethrows. */
  private <T> T inTransaction(Statements<T> statements) throws SQLException {
    Connection c = connection();
    try {
      T result = statements.run(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      abandon(c);
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      abandon(connection);
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c =
          DriverManager.getConnection(database.url(), database.user(), database.password());
      try {
        // never in autocommit: every call ends with its own commit, and switching autocommit
        // on and off around each write cost H2 an extra commit per write
        c.setAutoCommit(false);
        insert = c.prepareStatement(INSERT);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  /** Drops a connection that failed; the next call opens a new one. */
  private void abandon(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is already unusable; closing it is all that is left
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // as above
    }
    if (connection == c) {
      connection = null;
      insert = null;
    }
  }
}
