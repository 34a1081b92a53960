package io.twinrouter.agent.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wrong edit must still apply with git (so the agent's tests, not git, reveal it). */
class PatchMutatorTest {
  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)");

  @Test
  void wrongEditsApplyToTheSameTreeAsTheGoldPatch(@TempDir Path dir) throws Exception {
    for (SimTask task : SimConversation.loadTiny()) {
      Path repo = Files.createDirectories(dir.resolve(task.instanceId()));
      writeBaseFiles(repo, task.patch());
      git(repo, "init", "-q");
      String wrong = PatchMutator.wrongEdit(task.patch());
      assertNotEquals(task.patch(), wrong);
      Files.writeString(repo.resolve("gold.patch"), task.patch());
      Files.writeString(repo.resolve("wrong.patch"), wrong);
      assertEquals(0, git(repo, "apply", "--check", "gold.patch"), task.instanceId() + " gold");
      assertEquals(0, git(repo, "apply", "--check", "wrong.patch"), task.instanceId() + " wrong");
    }
  }

  @Test
  void aPatchWithOnlyRemovalsKeepsOneLineOrLosesAHunk(@TempDir Path dir) throws Exception {
    String patch = "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,4 +1,2 @@\n a = 1\n-b = 2\n-d = 4\n c = 3\n";
    String wrong = PatchMutator.wrongEdit(patch);
    assertEquals("diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,4 +1,3 @@\n a = 1\n b = 2\n-d = 4\n c = 3\n", wrong);
    Path repo = Files.createDirectories(dir.resolve("r"));
    Files.writeString(repo.resolve("m.py"), "a = 1\nb = 2\nd = 4\nc = 3\n");
    Files.writeString(repo.resolve("w.patch"), wrong);
    git(repo, "init", "-q");
    assertEquals(0, git(repo, "apply", "--check", "w.patch"));
    // single-line removals only: the last file's hunk is dropped
    String first = "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,2 @@\n a = 1\n-b = 2\n c = 3\n";
    String second = "diff --git a/n.py b/n.py\n--- a/n.py\n+++ b/n.py\n@@ -1,2 +1,1 @@\n x = 1\n-y = 2\n";
    assertEquals(first, PatchMutator.wrongEdit(first + second));
  }

  @Test
  void conditionsAreNegatedAndCommentsOrDocstringsNeverTouched() {
    String head = "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,6 @@\n def f(x):\n";
    String patch = head + "+    if x > 0 and x != 3:\n+        return x\n"
        + "+    # this cannot be reached when x is not an int\n+    \"\"\"Not == here.\"\"\"\n     pass\n";
    assertEquals(head + "+    if not (x > 0 and x != 3):\n+        return x\n"
        + "+    # this cannot be reached when x is not an int\n+    \"\"\"Not == here.\"\"\"\n     pass\n",
        PatchMutator.wrongEdit(patch));
    String flip = head + "+    y = [i for i in x if i is not None]\n+    \"\"\"\n+    x == 1\n+    \"\"\"\n     pass\n";
    assertEquals(head + "+    y = [i for i in x if i is None]\n+    \"\"\"\n+    x == 1\n+    \"\"\"\n     pass\n",
        PatchMutator.wrongEdit(flip));
    String ret = head + "+    total = compute(x)  # x is not None\n+    return total\n     pass\n";
    assertEquals(head + "+    total = compute(x)  # x is not None\n+    return None\n     pass\n",
        PatchMutator.wrongEdit(ret));
  }

  /** Per file: filler lines up to the hunk, then the hunk's old side. */
  private static void writeBaseFiles(Path repo, String patch) throws IOException {
    String file = null;
    List<String> lines = new ArrayList<>();
    for (String line : patch.split("\n", -1)) {
      if (line.startsWith("diff --git ")) {
        flush(repo, file, lines);
        file = line.substring(line.lastIndexOf(" b/") + 3);
        lines = new ArrayList<>();
      } else if (line.startsWith("@@")) {
        Matcher m = HUNK.matcher(line);
        m.find();
        while (lines.size() < Integer.parseInt(m.group(1)) - 1) {
          lines.add("# filler " + lines.size());
        }
      } else if (line.startsWith(" ") || (line.startsWith("-") && !line.startsWith("---"))) {
        lines.add(line.substring(1));
      }
    }
    flush(repo, file, lines);
  }

  private static void flush(Path repo, String file, List<String> lines) throws IOException {
    if (file != null) {
      Path p = repo.resolve(file);
      Files.createDirectories(p.getParent());
      Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
  }

  private static int git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      System.err.println(String.join(" ", cmd) + ": " + out);
    }
    return rc;
  }
}
