package io.twinrouter.agent.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Where a run's journal lives: an embedded H2 file database inside the run's output directory by
 * default, or PostgreSQL when clustered. Produces the Pekko configuration of the journal plugin
 * ({@link PlainJdbcJournal}) and creates pekko-persistence-jdbc's schema when its tables are
 * missing.
 */
public record JournalDatabase(String url, String user, String password) {

  public static JournalDatabase h2(Path dir) {
    // FILE_LOCK=FS: the operating system's file lock, which dies with the JVM, so a run resumed
    // right after a kill -9 opens the journal at once, while a second live run on the same
    // directory is refused instead of sharing (and double-billing) its cases. (AUTO_SERVER, used
    // before, ran a TCP server thread per journal and cost more per write.)
    // WRITE_DELAY=0: H2 otherwise writes commits to the file up to 500 ms later, and a kill -9
    // in that window loses steps the journal already acknowledged (JournalKillTest).
    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("journal")
        + ";FILE_LOCK=FS;WRITE_DELAY=0";
    return new JournalDatabase(url, "sa", "");
  }

  public boolean isPostgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  /**
   * The Pekko settings that point the journal at this database: {@link PlainJdbcJournal} writes
   * and recovers; pekko-persistence-jdbc's snapshot store and read journal are configured on the
   * same tables (cluster sharding's remember-entities store snapshots; a case journal asks for no
   * snapshot, see {@link CaseJournal#recovery()}).
   */
  public Config pekkoConfig() {
    String profile = isPostgres() ? "slick.jdbc.PostgresProfile$" : "slick.jdbc.H2Profile$";
    String driver = isPostgres() ? "org.postgresql.Driver" : "org.h2.Driver";
    Config db =
        ConfigFactory.parseString(
                """
                pekko.persistence.journal.plugin = "twinrouter.journal-plugin"
                pekko.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
                jdbc-snapshot-store.use-shared-db = "slick"
                jdbc-read-journal.use-shared-db = "slick"
                pekko-persistence-jdbc.shared-databases.slick.db {
                  numThreads = 4
                  maxConnections = 4
                  minConnections = 1
                  connectionTimeout = 10s
                }
                """)
            .withValue("twinrouter.journal-plugin.url", ConfigValueFactory.fromAnyRef(url))
            .withValue("twinrouter.journal-plugin.user", ConfigValueFactory.fromAnyRef(user))
            .withValue("twinrouter.journal-plugin.password",
                ConfigValueFactory.fromAnyRef(password))
            .withValue(
                "pekko-persistence-jdbc.shared-databases.slick.profile",
                ConfigValueFactory.fromAnyRef(profile))
            .withValue(
                "pekko-persistence-jdbc.shared-databases.slick.db.url",
                ConfigValueFactory.fromAnyRef(url))
            .withValue(
                "pekko-persistence-jdbc.shared-databases.slick.db.user",
                ConfigValueFactory.fromAnyRef(user))
            .withValue(
                "pekko-persistence-jdbc.shared-databases.slick.db.password",
                ConfigValueFactory.fromAnyRef(password))
            .withValue(
                "pekko-persistence-jdbc.shared-databases.slick.db.driver",
                ConfigValueFactory.fromAnyRef(driver));
    return db;
  }

  /**
   * Creates the journal tables when they are missing. The scripts shipped by pekko-persistence-jdbc
   * are not idempotent, and PostgreSQL's uses CREATE INDEX CONCURRENTLY, which cannot run inside a
   * transaction: so check for the table first and run statements one by one in autocommit.
   */
  public void ensureSchema() {
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      if (hasTable(c, "event_journal")) {
        return;
      }
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        for (String sql : schemaScript().split(";")) {
          if (!sql.isBlank()) {
            st.execute(sql);
          }
        }
      }
    } catch (SQLException e) {
      if (e.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
        throw new IllegalStateException("the journal " + redactedUrl() + " is open in another "
            + "process: another run is using this output directory; wait for it to end or choose "
            + "another --out", e);
      }
      throw new IllegalStateException(
          "cannot create the journal schema in " + redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  /** H2's error code for a database file locked by another process. */
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;

  /**
   * The schema script shipped by pekko-persistence-jdbc. On H2 its BLOB payload columns become
   * BINARY VARYING: H2 keeps a BLOB of more than a few hundred bytes (every journalled step) in a
   * separate LOB store, with extra pages to write per commit and a cleaner thread that spins on
   * a queue; an inline binary column is one row write. The plugin binds the payload as bytes
   * either way, so journals made with the original script still open. The duplicate ordering
   * index is left out (below).
   */
  String schemaScript() {
    if (isPostgres()) {
      return readScript("schema/postgres/postgres-create-schema.sql");
    }
    String script = readScript("schema/h2/h2-create-schema.sql")
        .replace(" BLOB", " BINARY VARYING(" + H2_MAX_BINARY_BYTES + ")");
    if (!script.contains(H2_DUPLICATE_ORDERING_INDEX)) {
      throw new IllegalStateException("pekko-persistence-jdbc's H2 script changed: no "
          + H2_DUPLICATE_ORDERING_INDEX);
    }
    return script.replace(H2_DUPLICATE_ORDERING_INDEX, "");
  }

  /**
   * The script's second unique index on "ordering": on H2 the column's UNIQUE constraint already
   * has one, and every commit rewrites a page of each index, so the copy is left out.
   */
  private static final String H2_DUPLICATE_ORDERING_INDEX =
      "CREATE UNIQUE INDEX \"event_journal_ordering_idx\" on PUBLIC.\"event_journal\" (\"ordering\");";

  /** H2's largest BINARY VARYING length. */
  private static final int H2_MAX_BINARY_BYTES = 1_000_000_000;

  private static boolean hasTable(Connection c, String name) throws SQLException {
    for (String candidate : new String[] {name, name.toUpperCase(Locale.ROOT)}) {
      try (ResultSet rs = c.getMetaData().getTables(null, null, candidate, null)) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }

  private static String readScript(String resource) {
    try (InputStream in = JournalDatabase.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema script not on the classpath: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /** The URL without credentials that a user may have put in it, for messages. */
  public String redactedUrl() {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  public String toString() {
    return "JournalDatabase[" + redactedUrl() + "]";
  }
}
