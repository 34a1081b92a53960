package io.twinrouter.agent.grading;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What SWE-bench derives from a task's test patch: the files to reset and the test directives. */
public final class TestPatchFiles {

  /** SWE-bench's NON_TEST_EXTS; "csv" has no dot there, so any name ending in csv is dropped. */
  private static final List<String> NON_TEST_EXTS =
      List.of(".json", ".png", "csv", ".txt", ".md", ".jpg", ".jpeg", ".pkl", ".yml", ".yaml",
          ".toml");

  private static final Pattern DIFF_HEADER =
      Pattern.compile("diff --git a/.* b/(.*)", Pattern.UNIX_LINES);

  private TestPatchFiles() {}

  /**
   * {@code get_test_directives}: the b/ paths of the diff headers minus data files; for Django,
   * module labels (no ".py", no leading "tests/", "/" as ".").
   */
  public static List<String> directives(String repo, String testPatch) {
    List<String> out = new ArrayList<>();
    Matcher m = DIFF_HEADER.matcher(testPatch);
    while (m.find()) {
      String d = m.group(1);
      if (NON_TEST_EXTS.stream().anyMatch(d::endsWith)) {
        continue;
      }
      if (repo.equals("django/django")) {
        if (d.endsWith(".py")) {
          d = d.substring(0, d.length() - 3);
        }
        if (d.startsWith("tests/")) {
          d = d.substring("tests/".length());
        }
        d = d.replace('/', '.');
      }
      out.add(d);
    }
    return out;
  }

  /**
   * {@code get_modified_files}: the source paths of the patch's files that existed before it (a
   * new file's source is /dev/null), without their "a/" prefix, as unidiff reads them. Hunk bodies
   * are skipped by their line counts, so a removed line starting with "-- " is not a header.
   */
  public static List<String> modifiedFiles(String patch) {
    List<String> out = new ArrayList<>();
    String source = null;
    boolean inFile = false;
    boolean sawHeader = false;
    int oldLeft = 0;
    int newLeft = 0;
    String[] lines = patch.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (oldLeft > 0 || newLeft > 0) {
        if (line.startsWith("-")) {
          oldLeft--;
        } else if (line.startsWith("+")) {
          newLeft--;
        } else if (!line.startsWith("\\")) {
          oldLeft--;
          newLeft--;
        }
        continue;
      }
      Matcher hunk = HUNK.matcher(line);
      if (line.startsWith("diff --git ")) {
        flush(out, inFile, source);
        Matcher m = GIT_HEADER.matcher(line);
        source = m.matches() ? m.group(1) : null;
        inFile = true;
        sawHeader = false;
      } else if (inFile && !sawHeader && line.startsWith("new file mode")) {
        source = "/dev/null";
      } else if (line.startsWith("--- ") && i + 1 < lines.length
          && lines[i + 1].startsWith("+++ ")) {
        if (sawHeader) {
          flush(out, inFile, source); // a plain diff: no "diff --git" line between files
        }
        String name = line.substring(4);
        int tab = name.indexOf('\t');
        source = tab < 0 ? name : name.substring(0, tab);
        inFile = true;
        sawHeader = true;
      } else if (inFile && hunk.lookingAt()) {
        oldLeft = hunk.group(1) == null ? 1 : Integer.parseInt(hunk.group(1));
        newLeft = hunk.group(2) == null ? 1 : Integer.parseInt(hunk.group(2));
      }
    }
    flush(out, inFile, source);
    return out;
  }

  private static final Pattern GIT_HEADER = Pattern.compile("diff --git (a/.+) b/.+");
  private static final Pattern HUNK =
      Pattern.compile("@@ -\\d+(?:,(\\d+))? \\+\\d+(?:,(\\d+))? @@");

  private static void flush(List<String> out, boolean inFile, String source) {
    if (inFile && source != null && !source.equals("/dev/null") && source.startsWith("a/")) {
      out.add(source.substring(2));
    }
  }
}
