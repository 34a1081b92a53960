package io.twinrouter.orchestrator.cluster;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Puts a file into the cluster's journal ({@link StoredFile}) and gets it back, chunk by chunk,
 * one chunk in flight at a time (a file is a few round trips per MiB). Non-blocking: both
 * complete their stage from actor threads.
 */
public final class FileTransfer {
  private FileTransfer() {}

  /** Stores {@code bytes} and returns their reference, once every chunk is journalled. */
  public static CompletionStage<FileRef> upload(ActorSystem<?> system, String path, byte[] bytes,
      Duration timeout) {
    FileRef ref = new FileRef(path, RunInput.sha256(bytes), bytes.length);
    int count = Math.max(1, (bytes.length + StoredFile.CHUNK_BYTES - 1) / StoredFile.CHUNK_BYTES);
    EntityRef<StoredFile.Command> file = entity(system, ref);
    CompletionStage<?> chain = CompletableFuture.completedFuture(null);
    for (int i = 0; i < count; i++) {
      int index = i;
      byte[] part = Arrays.copyOfRange(bytes, index * StoredFile.CHUNK_BYTES,
          Math.min(bytes.length, (index + 1) * StoredFile.CHUNK_BYTES));
      chain = chain.thenCompose(x -> file.<StoredFile.Written>ask(
          replyTo -> new StoredFile.Write(index, count, part, replyTo), timeout));
    }
    return chain.thenApply(x -> ref);
  }

  /**
   * The stored bytes of {@code ref}, checked against its size and SHA-256.
   *
   * @throws IllegalStateException (in the stage) when the file is not stored whole or differs
   */
  public static CompletionStage<byte[]> download(ActorSystem<?> system, FileRef ref,
      Duration timeout) {
    EntityRef<StoredFile.Command> file = entity(system, ref);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(ref.size(), 1 << 20));
    return next(file, 0, bytes, ref, timeout).thenApply(x -> {
      byte[] all = bytes.toByteArray();
      if (all.length != ref.size() || !RunInput.sha256(all).equals(ref.sha256())) {
        throw new IllegalStateException("stored file " + ref.path() + " does not match its"
            + " SHA-256 " + ref.sha256());
      }
      return all;
    });
  }

  private static CompletionStage<Void> next(EntityRef<StoredFile.Command> file, int index,
      ByteArrayOutputStream into, FileRef ref, Duration timeout) {
    return file.<StoredFile.Chunk>ask(replyTo -> new StoredFile.Read(index, replyTo), timeout)
        .thenCompose(chunk -> {
          if (chunk.bytes() == null) {
            throw new IllegalStateException("file " + ref.path() + " (" + ref.sha256()
                + ") is not stored: chunk " + index + " of " + chunk.count() + " is missing");
          }
          into.writeBytes(chunk.bytes());
          return index + 1 < chunk.count()
              ? next(file, index + 1, into, ref, timeout)
              : CompletableFuture.completedFuture(null);
        });
  }

  private static EntityRef<StoredFile.Command> entity(ActorSystem<?> system, FileRef ref) {
    return ClusterSharding.get(system).entityRefFor(StoredFile.TYPE_KEY, ref.sha256());
  }
}
