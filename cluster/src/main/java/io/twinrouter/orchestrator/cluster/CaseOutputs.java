package io.twinrouter.orchestrator.cluster;

import io.twinrouter.agent.casework.SwebenchPatchGrader;
import io.twinrouter.agent.grading.GradingArtifacts;
import io.twinrouter.agent.records.CaseFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One case's files on their way from the node that ran it to the client's {@code --out}: the
 * result, trace and trajectory, and its grading logs ({@code logs/run_evaluation/<run>/<model>/<id>/},
 * the patch among them). The node stores them in the journal ({@link StoredFile}) before it
 * reports the case, and the report names them; the client writes them under the same relative
 * paths. Paths the files hold to the node's private run folder are rewritten to the client's
 * folder, so the files read as if the case had run there.
 */
public final class CaseOutputs {
  private CaseOutputs() {}

  /** Stores the case's files found in the node's run folder {@code out}; reads them on {@code io}. */
  static CompletionStage<List<FileRef>> upload(ActorSystem<?> system, Executor io, Path out,
      String runId, String caseId, Duration timeout) {
    // read on io: the uploads continue on actor threads, which must not touch the disk
    return CompletableFuture.supplyAsync(() -> collect(out, runId, caseId).stream()
            .map(f -> Map.entry(out.relativize(f).toString().replace('\\', '/'), read(f)))
            .toList(), io)
        .thenCompose(files -> {
          CompletionStage<List<FileRef>> all = CompletableFuture.completedFuture(new ArrayList<>());
          for (Map.Entry<String, byte[]> f : files) {
            all = all.thenCompose(refs -> FileTransfer.upload(system, f.getKey(), f.getValue(),
                    timeout)
                .thenApply(ref -> {
                  refs.add(ref);
                  return refs;
                }));
          }
          return all;
        });
  }

  /** The files of one case under a run folder, in a stable order. */
  static List<Path> collect(Path out, String runId, String caseId) {
    CaseFiles files = new CaseFiles(out, caseId);
    List<Path> found = new ArrayList<>();
    for (Path f : List.of(files.result(), files.trace(), files.trajectory())) {
      if (Files.isRegularFile(f)) {
        found.add(f);
      }
    }
    Path logs = GradingArtifacts.caseDirectory(out.resolve("logs").resolve("run_evaluation"),
        runId, SwebenchPatchGrader.MODEL_NAME, caseId);
    if (Files.isDirectory(logs)) {
      try (Stream<Path> walk = Files.walk(logs)) {
        walk.filter(Files::isRegularFile).sorted().forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + logs, e);
      }
    }
    return found;
  }

  /**
   * Writes the case's files into {@code out} (blocking: the client's main thread), each path
   * checked to stay inside it; {@code nodeOut}, the folder the case ran in, becomes {@code out}
   * in every text file.
   */
  static void write(ActorSystem<?> system, Path out, List<FileRef> files, String nodeOut) {
    for (FileRef ref : files) {
      Path target = out.resolve(ref.path()).normalize();
      if (!target.startsWith(out) || target.equals(out)) {
        throw new IllegalStateException("case file " + ref.path() + " is outside the run folder");
      }
      byte[] bytes = RunShipment.await(
          FileTransfer.download(system, ref, RunShipment.CHUNK_TIMEOUT).toCompletableFuture());
      writeAtomically(target, relocated(bytes, nodeOut, out.toString()));
    }
  }

  static byte[] relocated(byte[] bytes, String from, String to) {
    if (from == null || from.isEmpty()) {
      return bytes;
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      return text.contains(from) ? text.replace(from, to).getBytes(StandardCharsets.UTF_8) : bytes;
    } catch (CharacterCodingException e) {
      return bytes; // not text: nothing in it names a folder
    }
  }

  static void writeAtomically(Path target, byte[] bytes) {
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".case", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private static byte[] read(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }
}
