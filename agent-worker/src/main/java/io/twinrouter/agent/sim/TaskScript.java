package io.twinrouter.agent.sim;

import io.twinrouter.agent.sim.ErrorModel.StepKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands of a task's scripted trajectory toward its gold patch: list the repository, grep
 * for a symbol the patch touches, view the hunk's surroundings, run the failing tests, write the
 * patch with a heredoc and {@code git apply} it, run the tests again, write {@code patch.txt},
 * submit with mini's sentinel (live-track spec 7.3). Also the wrong edit and the repair commands.
 */
public final class TaskScript {
  /** The heredoc file every edit writes; how the pool recognises edits in a conversation. */
  static final String PATCH_FILE = "/tmp/fix.patch";

  static final String SENTINEL = "COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT";
  private static final String HEREDOC_END = "SIM_PATCH_EOF";
  private static final Pattern FILE = Pattern.compile("^diff --git a/(\\S+) b/\\S+", Pattern.MULTILINE);
  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+\\S+ @@ ?(.*)$", Pattern.MULTILINE);
  private static final Pattern DEF = Pattern.compile("(?:def|class|function|func|fn)\\s+([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{3,}");

  private final SimTask task;
  private final List<String> files;
  private final String symbol;
  private final Map<StepKind, String> commands = new EnumMap<>(StepKind.class);
  private final String wrongEdit;
  private final String wrongRepair;

  TaskScript(SimTask task) {
    this.task = task;
    this.files = filesOf(task.patch());
    this.symbol = symbolOf(task.patch());
    String first = files.isEmpty() ? "." : files.get(0);
    String dir = first.contains("/") ? first.substring(0, first.indexOf('/')) : ".";
    commands.put(StepKind.LIST, "ls");
    commands.put(StepKind.SEARCH, "grep -rn \"" + symbol + "\" " + dir + " | head -n 20");
    commands.put(StepKind.VIEW, viewCommand(first, task.patch()));
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

  public SimTask task() {
    return task;
  }

  public String command(StepKind kind) {
    return commands.get(kind);
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

  private static String viewCommand(String file, String patch) {
    Matcher m = HUNK.matcher(patch);
    if (!m.find()) {
      return "cat " + file;
    }
    int start = Integer.parseInt(m.group(1));
    int count = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
    int from = Math.max(1, start - 10);
    return "cat -n " + file + " | sed -n '" + from + "," + (start + count + 10) + "p'";
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
