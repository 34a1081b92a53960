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
   * repository at the base commit and nothing later. The source (the bundle at {@code bundlePath},
   * or the {@code .git} of a folder already copied to {@code /testbed}) is only read: a fresh
   * clone of the base commit's branch alone replaces it, so no later commit, tag, reflog, commit
   * message or other file of the source's {@code .git} comes along. The result: one branch, {@code
   * main}, at the base commit (the folder's HEAD when no base is given), no remote, no other ref,
   * no reflog, nothing unreachable. SWE-bench strips its images the same way since 4.1 (its
   * #465/#471), after agents read the fix from later commits (mini-swe-agent #787).
   */
  public String checkoutScript(String bundlePath) {
    String base = baseCommit == null ? "HEAD" : baseCommit;
    String src = "/tmp/.twinrouter-source.git";
    String fresh = "/tmp/.twinrouter-fresh";
    StringBuilder s = new StringBuilder("set -eu\nrm -rf " + src + " " + fresh + "\n");
    if (isBundle()) {
      s.append("find " + SandboxSpec.TESTBED + " -mindepth 1 -delete\n")
          .append("git clone -q --bare '").append(bundlePath).append("' " + src + "\n");
    } else if (baseCommit == null) {
      s.append("[ -e " + SandboxSpec.TESTBED + "/.git ] || exit 0\n") // a plain folder, taken as it is
          .append("mv " + SandboxSpec.TESTBED + "/.git " + src + "\n");
    } else {
      // the folder's files as of the base commit, by its own repository, before that is replaced
      s.append("git -C " + SandboxSpec.TESTBED + " checkout -q --detach '").append(baseCommit).append("'\n")
          .append("mv " + SandboxSpec.TESTBED + "/.git " + src + "\n");
    }
    s.append("base=$(git --git-dir=" + src + " rev-parse --verify -q '").append(base).append("^{commit}')"
            + " || { echo 'base commit ").append(base).append(" is not in the repository' >&2; exit 3; }\n")
        .append("git --git-dir=" + src + " branch -f twinrouter-base \"$base\"\n")
        // --no-local: the objects come through a pack of what the one branch reaches, never copied
        .append("git clone -q --no-local --no-tags --single-branch --branch twinrouter-base --no-checkout "
            + src + " " + fresh + "\n")
        .append("mv " + fresh + "/.git " + SandboxSpec.TESTBED + "/.git\n")
        .append("rm -rf " + src + " " + fresh + "\n")
        .append("cd " + SandboxSpec.TESTBED + "\n")
        .append("git branch -q -m twinrouter-base main\n")
        .append("git remote remove origin\n")
        // a clone of a detached HEAD leaves a dangling origin/HEAD that removing the remote keeps
        .append("rm -rf .git/refs/remotes\n")
        // a bundle's files come from the base commit; a folder's are already there
        .append(isBundle() ? "git reset -q --hard\n" : "git reset -q\n")
        .append("git reflog expire --expire=now --expire-unreachable=now --all\n")
        .append("rm -rf .git/logs\n")
        .append("git gc -q --prune=now\n");
    return s.toString();
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
