package io.twinrouter.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A task's own repository: a git bundle file or a folder, and the commit to check out into
 * {@code /testbed}. A folder is taken as it is when {@code baseCommit} is null; a bundle needs one.
 */
public record RepoSource(Path path, String baseCommit) {

  public RepoSource {
    Objects.requireNonNull(path, "path");
    if (baseCommit != null && !baseCommit.matches("[0-9A-Za-z._/-]{1,200}")) {
      throw new IllegalArgumentException("repo source " + path + ": bad base commit '" + baseCommit + "'");
    }
  }

  public static RepoSource bundle(Path bundle, String baseCommit) {
    return new RepoSource(bundle, Objects.requireNonNull(baseCommit, "baseCommit"));
  }

  public static RepoSource folder(Path folder) {
    return new RepoSource(folder, null);
  }

  public boolean isBundle() {
    return Files.isRegularFile(path);
  }

  /** Fails with a message naming the path when the source cannot be used. */
  public void check() {
    if (!Files.exists(path)) {
      throw new SandboxException("repo source " + path + " does not exist");
    }
    if (isBundle() && baseCommit == null) {
      throw new SandboxException("repo source " + path + " is a git bundle: a base commit is needed");
    }
    if (!isBundle() && !Files.isDirectory(path)) {
      throw new SandboxException("repo source " + path + " is neither a git bundle file nor a folder");
    }
  }
}
