package io.twinrouter.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A task's own repository: a git bundle file or a folder, and the commit to check out into
 * {@code /testbed}. A folder is taken as it is when {@code baseCommit} is null; a bundle needs one.
 * Either way {@code /testbed} ends up holding no commit after the base one ({@link
 * #checkoutScript}).
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

  /**
   * The shell script, run inside the sandbox by its own git, that makes {@code /testbed} hold the
   * repository at the base commit and nothing later: a bundle is cloned from {@code bundlePath} (a
   * folder must already be copied to {@code /testbed}); then one branch, {@code main}, at the base
   * commit (the folder's HEAD when no base is given), no remote, no other ref or tag, no reflog,
   * and every object no longer reachable pruned. SWE-bench strips its images the same way since
   * 4.1 (its #465/#471), after agents read the fix from later commits (mini-swe-agent #787).
   */
  public String checkoutScript(String bundlePath) {
    String base = baseCommit == null ? "HEAD" : baseCommit;
    StringBuilder s = new StringBuilder("set -eu\n");
    if (isBundle()) {
      s.append("find " + SandboxSpec.TESTBED + " -mindepth 1 -delete\n")
          .append("git clone -q --no-checkout '").append(bundlePath).append("' " + SandboxSpec.TESTBED + "\n");
    }
    s.append("cd " + SandboxSpec.TESTBED + "\n");
    if (baseCommit == null) {
      s.append("[ -e .git ] || exit 0\n"); // a plain folder, taken as it is
    }
    return s.append("base=$(git rev-parse --verify -q '").append(base).append("^{commit}')"
            + " || { echo 'base commit ").append(base).append(" is not in the repository' >&2; exit 3; }\n")
        .append("git checkout -q --detach \"$base\"\n")
        .append("for r in $(git remote); do git remote remove \"$r\"; done\n")
        .append("git for-each-ref --format='%(refname)' | while read -r ref; do git update-ref -d \"$ref\"; done\n")
        .append("git checkout -q -b main\n")
        .append("rm -rf .git/logs .git/ORIG_HEAD .git/FETCH_HEAD .git/MERGE_HEAD .git/packed-refs.lock\n")
        .append("git reflog expire --expire=now --expire-unreachable=now --all\n")
        .append("git gc -q --prune=now\n")
        .toString();
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
