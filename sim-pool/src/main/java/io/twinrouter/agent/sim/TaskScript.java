package io.twinrouter.agent.sim;

import io.twinrouter.agent.sim.ErrorModel.StepKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands of a task's scripted trajectory toward its gold patch. Exploration first: list the
 * repository, grep for the symbol each patched file's change sits in, view every hunk's
 * surroundings, look at the tests the test patch touches (so bigger patches take more steps, as
 * they do for real agents); then run the failing tests, write the patch with a heredoc and {@code
 * git apply} it, run the tests again, write {@code patch.txt} and submit with mini's sentinel
 * (live-track spec 7.3). Also the wrong edit and the repair commands.
 */
public final class TaskScript {
  /** The heredoc file every edit writes; how the pool recognises edits in a conversation. */
  static final String PATCH_FILE = "/tmp/fix.patch";

  static final String SENTINEL = "COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT";
  private static final String HEREDOC_END = "SIM_PATCH_EOF";
  private static final int MAX_SEARCHES = 3;
  private static final int MAX_HUNK_VIEWS = 4;
  private static final int MAX_TEST_VIEWS = 2;
  private static final Pattern FILE = Pattern.compile("^diff --git a/(\\S+) b/\\S+", Pattern.MULTILINE);
  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+\\S+ @@ ?(.*)$", Pattern.MULTILINE);
  private static final Pattern DEF = Pattern.compile("(?:def|class|function|func|fn)\\s+([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{3,}");

  /** One step of the plan: its kind (for the error model) and its command. */
  public record Planned(StepKind kind, String command) {}

  private final SimTask task;
  private final List<String> files;
  private final String symbol;
  private final List<Planned> exploration = new ArrayList<>();
  private final Map<StepKind, String> commands = new EnumMap<>(StepKind.class);
  private final String wrongEdit;
  private final String wrongRepair;

  TaskScript(SimTask task) {
    this.task = task;
    this.files = filesOf(task.patch());
    this.symbol = symbolOf(task.patch());
    planExploration();
    commands.put(StepKind.REPRODUCE, task.testCommandLine());
    commands.put(StepKind.EDIT, editCommand(task.patch()));
    commands.put(StepKind.REPAIR, repairCommand(task.patch()));
    commands.put(StepKind.TEST, task.testCommandLine());
    commands.put(StepKind.DIFF, "git diff -- " + String.join(" ", files) + " > patch.txt && cat patch.txt");
    commands.put(StepKind.SUBMIT, "echo " + SENTINEL + " && cat patch.txt");
    String mutated = PatchMutator.wrongEdit(task.patch());
    this.wrongEdit = editCommand(mutated);
    this.wrongRepair = repairCommand(mutated);
  }

  private void planExploration() {
    add(StepKind.LIST, "ls");
    List<String> sections = sections(task.patch());
    for (String section : sections.subList(0, Math.min(MAX_SEARCHES, sections.size()))) {
      String file = filesOf(section).get(0);
      String dir = file.contains("/") ? file.substring(0, file.indexOf('/')) : ".";
      add(StepKind.SEARCH, "grep -rn \"" + symbolOf(section) + "\" " + dir + " | head -n 20");
    }
    int views = 0;
    for (String section : sections) {
      String file = filesOf(section).get(0);
      Matcher m = HUNK.matcher(section);
      while (m.find() && views < MAX_HUNK_VIEWS) {
        int start = Integer.parseInt(m.group(1));
        int count = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        add(StepKind.VIEW, "cat -n " + file + " | sed -n '" + Math.max(1, start - 10) + ","
            + (start + count + 10) + "p'");
        views++;
      }
    }
    List<String> testFiles = filesOf(task.testPatch());
    for (String t : testFiles.subList(0, Math.min(MAX_TEST_VIEWS, testFiles.size()))) {
      add(StepKind.VIEW, "grep -n \"def test\" " + t + " | head -n 30");
    }
  }

  private void add(StepKind kind, String command) {
    if (exploration.stream().noneMatch(p -> p.command().equals(command))) {
      exploration.add(new Planned(kind, command));
    }
  }

  public SimTask task() {
    return task;
  }

  /** The exploration steps, in order, before the failing tests are run. */
  public List<Planned> exploration() {
    return exploration;
  }

  /** The command of a step after exploration (REPRODUCE, EDIT, REPAIR, TEST, DIFF, SUBMIT). */
  public String command(StepKind kind) {
    String c = commands.get(kind);
    if (c == null) {
      throw new IllegalArgumentException(kind + " is an exploration step; see exploration()");
    }
    return c;
  }

  /** Every command of an error-free run, in order. */
  public List<String> goldSequence() {
    List<String> out = new ArrayList<>();
    exploration.forEach(p -> out.add(p.command()));
    for (StepKind k : List.of(StepKind.REPRODUCE, StepKind.EDIT, StepKind.TEST, StepKind.DIFF, StepKind.SUBMIT)) {
      out.add(commands.get(k));
    }
    return out;
  }

  /** The command of a wrong attempt at an edit step (EDIT or REPAIR). */
  public String wrongCommand(StepKind kind) {
    return kind == StepKind.REPAIR ? wrongRepair : wrongEdit;
  }

  public List<String> files() {
    return files;
  }

  public String symbol() {
    return symbol;
  }

  /** The patch split into its per-file sections. */
  static List<String> sections(String patch) {
    List<String> out = new ArrayList<>();
    int at = patch.indexOf("diff --git ");
    while (at >= 0) {
      int next = patch.indexOf("\ndiff --git ", at + 1);
      out.add(next < 0 ? patch.substring(at) : patch.substring(at, next + 1));
      at = next < 0 ? -1 : next + 1;
    }
    return out;
  }

  /** True for a command that writes and applies a patch (gold or not). */
  static boolean isEdit(String command) {
    return command.contains("cat > " + PATCH_FILE + " <<");
  }

  boolean isGoldEdit(String command) {
    return command.equals(commands.get(StepKind.EDIT)) || command.equals(commands.get(StepKind.REPAIR));
  }

  private static String editCommand(String patch) {
    return heredoc(patch) + "git apply " + PATCH_FILE + " && git diff --stat";
  }

  private String repairCommand(String patch) {
    return "git checkout -- " + String.join(" ", files) + " && " + editCommand(patch);
  }

  private static String heredoc(String patch) {
    String body = patch.endsWith("\n") ? patch : patch + "\n";
    return "cat > " + PATCH_FILE + " <<'" + HEREDOC_END + "'\n" + body + HEREDOC_END + "\n";
  }

  static List<String> filesOf(String patch) {
    List<String> out = new ArrayList<>();
    Matcher m = FILE.matcher(patch);
    while (m.find()) {
      if (!out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /**
   * The function or class enclosing the first change (from the hunk header or the context above
   * the change), else one defined on a changed line, else the first long identifier changed.
   */
  static String symbolOf(String patch) {
    String enclosing = null;
    for (String line : patch.split("\n")) {
      if (line.startsWith("@@")) {
        Matcher hunk = HUNK.matcher(line);
        Matcher def = hunk.matches() ? DEF.matcher(hunk.group(3)) : null;
        enclosing = def != null && def.find() ? def.group(1) : null;
      } else if (line.startsWith(" ")) {
        Matcher def = DEF.matcher(line);
        if (def.find()) {
          enclosing = def.group(1);
        }
      } else if ((line.startsWith("+") || line.startsWith("-"))
          && !line.startsWith("+++") && !line.startsWith("---")) {
        if (enclosing != null) {
          return enclosing;
        }
        Matcher def = DEF.matcher(line);
        if (def.find()) {
          return def.group(1);
        }
        Matcher id = IDENT.matcher(line.substring(1));
        while (id.find()) {
          if (!PYTHON_WORDS.contains(id.group())) {
            return id.group();
          }
        }
      }
    }
    return "def ";
  }

  private static final java.util.Set<String> PYTHON_WORDS =
      java.util.Set.of("return", "self", "None", "True", "False", "elif", "else", "import", "from",
          "raise", "while", "pass", "with", "lambda", "assert", "yield", "print");
}
