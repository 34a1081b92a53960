package io.twinrouter.agent.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the wrong edit of a simulated model: the gold patch with one added line altered so that
 * it still applies (context and line counts untouched) but no longer fixes the issue. Comments and
 * docstrings are never the altered line. In order of preference, scanning added code lines from
 * the last: an {@code if}/{@code elif}/{@code while} condition is negated; a comparison, identity
 * test, boolean operator, boolean constant or off-by-one constant is flipped; a returned value
 * becomes {@code None}; failing all of those, the last added code line is commented out. A patch
 * with no added lines keeps one of its removed lines or loses a hunk instead.
 */
public final class PatchMutator {
  private static final List<String[]> FLIPS =
      List.of(
          new String[] {" is not ", " is "},
          new String[] {" == ", " != "},
          new String[] {" != ", " == "},
          new String[] {" is ", " is not "},
          new String[] {" not in ", " in "},
          new String[] {" in ", " not in "},
          new String[] {" <= ", " < "},
          new String[] {" >= ", " > "},
          new String[] {" < ", " >= "},
          new String[] {" > ", " <= "},
          new String[] {" and ", " or "},
          new String[] {" or ", " and "},
          new String[] {"True", "False"},
          new String[] {"False", "True"},
          new String[] {" + 1", " - 1"},
          new String[] {" - 1", " + 1"});
  private static final Pattern CONDITION = Pattern.compile("^(\\s*)(if|elif|while) (.+):(\\s*)$");
  private static final Pattern RETURN_VALUE = Pattern.compile("^(\\s*)return \\S.*$");
  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@(.*)$");

  private PatchMutator() {}

  public static String wrongEdit(String patch) {
    String[] lines = patch.split("\n", -1);
    boolean[] code = codeLines(lines);
    for (int i = lines.length - 1; i >= 0; i--) {
      Matcher m = code[i] ? CONDITION.matcher(lines[i].substring(1)) : null;
      if (m != null && m.matches()) {
        lines[i] = "+" + m.group(1) + m.group(2) + " not (" + m.group(3) + "):" + m.group(4);
        return String.join("\n", lines);
      }
    }
    for (int i = lines.length - 1; i >= 0; i--) {
      if (code[i]) {
        int commentAt = lines[i].indexOf(" #");
        int end = commentAt < 0 ? lines[i].length() : commentAt;
        boolean loop = lines[i].substring(1).strip().startsWith("for ");
        for (String[] flip : FLIPS) {
          int at = lines[i].indexOf(flip[0], 1);
          if (at > 0 && at < end && !(loop && flip[0].equals(" in "))) {
            lines[i] = lines[i].substring(0, at) + flip[1] + lines[i].substring(at + flip[0].length());
            return String.join("\n", lines);
          }
        }
      }
    }
    for (int i = lines.length - 1; i >= 0; i--) {
      Matcher m = code[i] ? RETURN_VALUE.matcher(lines[i].substring(1)) : null;
      if (m != null && m.matches()) {
        lines[i] = "+" + m.group(1) + "return None";
        return String.join("\n", lines);
      }
    }
    for (int i = lines.length - 1; i >= 0; i--) {
      if (code[i]) {
        String c = lines[i].substring(1);
        int indent = c.length() - c.stripLeading().length();
        lines[i] = "+" + c.substring(0, indent) + "# " + c.substring(indent);
        return String.join("\n", lines);
      }
    }
    return keepOneRemovedLine(lines);
  }

  /**
   * Added lines that hold code: not blank, not a comment, not inside or opening a docstring
   * (triple quotes are tracked over the new side of every hunk).
   */
  private static boolean[] codeLines(String[] lines) {
    boolean[] code = new boolean[lines.length];
    boolean inDocstring = false;
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.startsWith("@@") || l.startsWith("diff --git ")) {
        inDocstring = false;
        continue;
      }
      boolean newSide = (l.startsWith("+") && !l.startsWith("+++")) || l.startsWith(" ");
      if (!newSide) {
        continue;
      }
      String text = l.substring(1);
      int quotes = count(text, "\"\"\"") + count(text, "'''");
      boolean touchesDocstring = inDocstring || quotes > 0;
      if (quotes % 2 == 1) {
        inDocstring = !inDocstring;
      }
      String t = text.strip();
      code[i] = l.startsWith("+") && !touchesDocstring && !t.isEmpty()
          && !t.startsWith("#") && !t.startsWith("//") && !t.startsWith("*") && !t.startsWith("/*");
    }
    return code;
  }

  private static int count(String text, String token) {
    int n = 0;
    for (int at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + token.length())) {
      n++;
    }
    return n;
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
