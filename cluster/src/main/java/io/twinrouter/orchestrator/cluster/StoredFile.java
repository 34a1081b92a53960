package io.twinrouter.orchestrator.cluster;

import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * One file kept by content in the shared journal, as a Cluster Sharding entity whose id is the
 * file's SHA-256: the way files cross the cluster without a shared file system. Written and read
 * in chunks of at most {@link #CHUNK_BYTES}, each chunk a journal event and a message under
 * Artery's 256 KiB frame (base64 in JSON adds a third). Clients ship a run's inputs through it
 * (task rows, repository bundles, specs); nodes send back each case's files; whoever holds the
 * {@link FileRef} reads them. Identical files share one entity. A stored chunk is never
 * replaced: writing it again is acknowledged and ignored, so an upload may simply be repeated.
 */
public final class StoredFile
    extends EventSourcedBehavior<StoredFile.Command, StoredFile.ChunkWritten, StoredFile.Chunks> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "twinrouter-stored-file");

  /** Raw bytes per chunk: 4/3 of it in base64 leaves room in a 256 KiB frame. */
  public static final int CHUNK_BYTES = 128 * 1024;

  public sealed interface Command {}

  /** Chunk {@code index} of {@code count}; {@code replyTo} hears {@link Written}. */
  public record Write(int index, int count, byte[] bytes, ActorRef<Written> replyTo)
      implements Command, ClusterMessage {}

  public record Written(int index) implements ClusterMessage {}

  /** Asks for chunk {@code index}; the answer's bytes are null when it is not stored. */
  public record Read(int index, ActorRef<Chunk> replyTo) implements Command, ClusterMessage {}

  public record Chunk(int index, int count, byte[] bytes) implements ClusterMessage {}

  public record ChunkWritten(int index, int count, byte[] bytes) implements ClusterMessage {}

  /** The chunks stored so far (null where none is). Never serialised itself. */
  public static final class Chunks {
    byte[][] parts = new byte[0][];
  }

  /** Starts the entity type on nodes; elsewhere (clients) a proxy to it. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ec -> create(ec.getEntityId()))
        .withRole(ClusterSettings.NODE_ROLE)
        // a file is asked for when needed; remembering it would restart it for nothing
        .withSettings(ClusterShardingSettings.create(system).withRememberEntities(false)));
  }

  static Behavior<Command> create(String sha256) {
    return new StoredFile(sha256);
  }

  private StoredFile(String sha256) {
    super(PersistenceId.ofUniqueId("twinrouter-file-" + sha256));
  }

  @Override
  public Chunks emptyState() {
    return new Chunks();
  }

  @Override
  public CommandHandler<Command, ChunkWritten, Chunks> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Write.class, this::onWrite)
        .onCommand(Read.class, (state, m) -> {
          byte[] bytes = m.index() < state.parts.length ? state.parts[m.index()] : null;
          m.replyTo().tell(new Chunk(m.index(), state.parts.length, bytes));
          return Effect().none();
        })
        .build();
  }

  private Effect<ChunkWritten, Chunks> onWrite(Chunks state, Write m) {
    if (m.index() < state.parts.length && state.parts[m.index()] != null) {
      m.replyTo().tell(new Written(m.index()));
      return Effect().none();
    }
    return Effect().persist(new ChunkWritten(m.index(), m.count(), m.bytes()))
        .thenRun(s -> m.replyTo().tell(new Written(m.index())));
  }

  @Override
  public EventHandler<Chunks, ChunkWritten> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(ChunkWritten.class, (state, e) -> {
          if (state.parts.length < e.count()) {
            state.parts = Arrays.copyOf(state.parts, e.count());
          }
          state.parts[e.index()] = e.bytes();
          return state;
        })
        .build();
  }
}
