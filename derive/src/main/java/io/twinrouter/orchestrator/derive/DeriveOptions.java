package io.twinrouter.orchestrator.derive;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code static derive} was asked to do.
 *
 * @param tasks a task file, or {@code bundled}
 * @param pool {@code sim} (the simulated pool, started for each batch of trials) or a pool file
 * @param sandbox {@code docker} or {@code local}
 * @param out the bank to write; the manifest goes beside it ({@code <out>.manifest.json}) and the
 *     trial runs under {@code <out>.work/}, so a rerun with the same {@code out} resumes
 * @param instanceIds a file of instance ids selecting tasks, or empty for all
 * @param workers trials run at once (each trial is one case of a live run)
 */
public record DeriveOptions(String tasks, String pool, String sandbox, Path out, long seed,
    Optional<Path> instanceIds, int workers) {

  public Path workDir() {
    Path abs = out.toAbsolutePath();
    return abs.resolveSibling(abs.getFileName() + ".work");
  }

  public Path manifestFile() {
    Path abs = out.toAbsolutePath();
    String name = abs.getFileName().toString();
    String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
    return abs.resolveSibling(stem + ".manifest.json");
  }
}
