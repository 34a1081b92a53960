package io.twinrouter.agent.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the wrong edit of a simulated model: the gold patch with one hunk altered so that it
 * still applies (context and line counts untouched) but no longer fixes the issue. The last added
 * line that contains a comparison, a boolean, a logical operator or an off-by-one constant gets
 * that token flipped; failing that, the last added code line is commented out; a patch with no
 * added lines keeps one of its removed lines instead.
 */
public final class PatchMutator {
  private static final List<String[]> FLIPS =
      List.of(
          new String[] {" is not ", " is "},
          new String[] {" == ", " != "},
          new String[] {" != ", " == "},
          new String[] {" is ", " is not "},
          new String[] {"not ", ""},
          new String[] {" and ", " or "},
          new String[] {" or ", " and "},
          new String[] {"True", "False"},
          new String[] {"False", "True"},
          new String[] {" <= ", " < "},
          new String[] {" >= ", " > "},
          new String[] {" < ", " >= "},
          new String[] {" > ", " <= "},
          new String[] {" + 1", " - 1"},
          new String[] {" - 1", " + 1"});
  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@(.*)$");

  private PatchMutator() {}

  public static String wrongEdit(String patch) {
    String[] lines = patch.split("\n", -1);
    for (int i = lines.length - 1; i >= 0; i--) {
      if (isAdded(lines[i])) {
        for (String[] flip : FLIPS) {
          int at = lines[i].indexOf(flip[0], 1);
          if (at > 0) {
            lines[i] = lines[i].substring(0, at) + flip[1] + lines[i].substring(at + flip[0].length());
            return String.join("\n", lines);
          }
        }
      }
    }
    for (int i = lines.length - 1; i >= 0; i--) {
      String code = isAdded(lines[i]) ? lines[i].substring(1) : null;
      if (code != null && !code.isBlank() && !code.strip().startsWith("#")) {
        int indent = code.length() - code.stripLeading().length();
        lines[i] = "+" + code.substring(0, indent) + "# " + code.substring(indent);
        return String.join("\n", lines);
      }
    }
    return keepOneRemovedLine(lines);
  }

  private static boolean isAdded(String line) {
    return line.startsWith("+") && !line.startsWith("+++");
  }

  /**
   * For a patch that only removes lines: keeps the first removed line of a hunk that removes
   * several; failing that, drops the last hunk when there are several (a file left without hunks
   * is dropped too). A patch of one single-line removal has no applying wrong variant and is
   * returned unchanged (git refuses a hunk without changes).
   */
  private static String keepOneRemovedLine(String[] lines) {
    List<int[]> hunks = hunkRanges(lines);
    for (int[] h : hunks) {
      int removed = 0;
      int first = -1;
      for (int i = h[0] + 1; i < h[1]; i++) {
        if (lines[i].startsWith("-")) {
          removed++;
          first = first < 0 ? i : first;
        }
      }
      Matcher m = HUNK.matcher(lines[h[0]]);
      if (removed >= 2 && m.matches()) {
        int newCount = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
        lines[h[0]] =
            "@@ -" + m.group(1) + (m.group(2) == null ? "" : "," + m.group(2))
                + " +" + m.group(3) + "," + (newCount + 1) + " @@" + m.group(5);
        lines[first] = " " + lines[first].substring(1);
        return String.join("\n", lines);
      }
    }
    if (hunks.size() < 2) {
      return String.join("\n", lines);
    }
    int[] last = hunks.get(hunks.size() - 1);
    int from = last[0];
    boolean onlyHunkOfItsFile = from >= 3 && lines[from - 3].startsWith("diff --git ");
    if (onlyHunkOfItsFile) {
      from -= 3;
    }
    List<String> kept = new ArrayList<>(Arrays.asList(lines).subList(0, from));
    kept.addAll(Arrays.asList(lines).subList(last[1], lines.length));
    return String.join("\n", kept);
  }

  /** [header index, end index exclusive] of every hunk. */
  private static List<int[]> hunkRanges(String[] lines) {
    List<int[]> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= lines.length; i++) {
      boolean boundary = i == lines.length || lines[i].startsWith("@@") || lines[i].startsWith("diff --git ");
      if (boundary && start >= 0) {
        int end = i;
        while (end > start + 1 && lines[end - 1].isEmpty()) {
          end--;
        }
        out.add(new int[] {start, end});
        start = -1;
      }
      if (i < lines.length && lines[i].startsWith("@@")) {
        start = i;
      }
    }
    return out;
  }
}
