package io.twinrouter.orchestrator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.agent.grading.RepoSpecs;
import io.twinrouter.agent.grading.SpecsFile;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A run's input files across the cluster, so nodes never read the client's file system: the
 * client stores the run's selected task rows, their repository bundles and the {@code --specs}
 * file in the journal ({@link StoredFile}) and names them in the run; each node fetches them
 * once into its working folder ({@code <work-dir>/inputs/<sha256>-<name>}), where the rows'
 * {@code repo_source} names the bundles beside them. Both sides block: the client on its main
 * thread, nodes on the blocking-IO dispatcher.
 */
public final class RunShipment {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A file's transfer waits this long for each chunk; a client still joining may need a while. */
  static final Duration CHUNK_TIMEOUT = Duration.ofSeconds(30);
  /** Whole transfers give up after this long (about 1 GiB at the slowest rate seen here). */
  private static final long TRANSFER_MINUTES = 30;

  /**
   * What a run ships.
   *
   * @param tasks the selected rows, JSON Lines, with {@code repo_source} naming a bundle below
   * @param bundles the repository bundles the rows name
   * @param specs the {@code --specs} file, or null
   */
  public record Inputs(FileRef tasks, List<FileRef> bundles, FileRef specs)
      implements ClusterMessage {
    public Inputs {
      bundles = List.copyOf(bundles);
    }
  }

  private RunShipment() {}

  /**
   * Stores the rows of {@code tasks} (read from {@code taskFile}, in file order), each row's
   * repository bundle and the specs file.
   *
   * @throws IllegalArgumentException when a row's repo_source is a folder (only a file ships)
   */
  public static Inputs ship(ActorSystem<?> system, List<TaskInstance> tasks, Path taskFile,
      Path specs) {
    Map<String, TaskInstance> byId = new LinkedHashMap<>();
    tasks.forEach(t -> byId.put(t.instanceId(), t));
    Map<Path, FileRef> bundles = new LinkedHashMap<>();
    StringBuilder rows = new StringBuilder();
    for (TaskRows.Row row : TaskRows.read(taskFile)) {
      TaskInstance task = byId.get(row.fields().path("instance_id").asText());
      if (task == null) {
        continue;
      }
      ObjectNode fields = row.fields().deepCopy();
      if (task.repoSource().isPresent()) {
        Path source = task.repoSource().get();
        if (!Files.isRegularFile(source)) {
          throw new IllegalArgumentException(task.location() + ": repo_source " + source
              + " is a folder; a clustered run ships repositories as files: make a bundle"
              + " (git -C FOLDER bundle create FILE --all) and name it in repo_source");
        }
        FileRef bundle = bundles.computeIfAbsent(source,
            s -> store(system, s.getFileName().toString(), read(s)));
        fields.put("repo_source",
            RunInput.cachedName(Path.of("."), bundle.path(), bundle.sha256()).getFileName().toString());
      }
      try {
        rows.append(JSON.writeValueAsString(fields)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    FileRef rowsRef = store(system, "tasks.jsonl", rows.toString().getBytes(StandardCharsets.UTF_8));
    FileRef specsRef = specs == null ? null
        : store(system, specs.getFileName().toString(), read(specs));
    return new Inputs(rowsRef, new ArrayList<>(bundles.values()), specsRef);
  }

  /**
   * The run's task file in this node's cache, with its bundles beside it, fetched when missing;
   * adds the run's specs to this node's grading specs.
   */
  public static Path receive(ActorSystem<?> system, Inputs inputs, Path cache) {
    for (FileRef bundle : inputs.bundles()) {
      fetch(system, bundle, cache);
    }
    if (inputs.specs() != null) {
      RepoSpecs.add(SpecsFile.read(fetch(system, inputs.specs(), cache)));
    }
    return fetch(system, inputs.tasks(), cache);
  }

  /** A stored file as {@code <sha256>-<name>} in {@code cache}, fetched once. */
  static Path fetch(ActorSystem<?> system, FileRef ref, Path cache) {
    Path file = RunInput.cachedName(cache, ref.path(), ref.sha256());
    try {
      if (RunInput.isCached(file, ref.sha256())) {
        return file;
      }
    } catch (IOException e) {
      // an unreadable copy is fetched again
    }
    byte[] bytes = await(FileTransfer.download(system, ref, CHUNK_TIMEOUT).toCompletableFuture());
    return new RunInput(ref.path(), ref.sha256(), bytes).cache(cache);
  }

  static FileRef store(ActorSystem<?> system, String path, byte[] bytes) {
    return await(FileTransfer.upload(system, path, bytes, CHUNK_TIMEOUT).toCompletableFuture());
  }

  static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(TRANSFER_MINUTES, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a file transfer", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("file transfer failed: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("file transfer took over " + TRANSFER_MINUTES + " min", e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }
}
