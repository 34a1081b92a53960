package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.orchestrator.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Help that tests itself: every command and subcommand answers {@code --help} with its usage and
 * no warning (picocli warns on stderr, e.g. about an unescaped {@code %} in a description), and
 * every option the README and docs/ show after {@code ./twinrouter <command>} exists on that
 * command.
 */
class HelpTest {

  /** Every command path below the root, e.g. {@code [static, route]}. */
  static List<List<String>> commandPaths() {
    List<List<String>> out = new ArrayList<>();
    collect(TwinrouterCommand.commandLine(), new ArrayList<>(), out);
    return out;
  }

  private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
    for (var e : cl.getSubcommands().entrySet()) {
      if (e.getValue().getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
        continue;
      }
      List<String> sub = new ArrayList<>(path);
      sub.add(e.getKey());
      out.add(sub);
      collect(e.getValue(), sub, out);
    }
  }

  record Printed(int status, String out, String err) {}

  static Printed run(List<String> args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int status = Main.run(args.toArray(String[]::new));
      return new Printed(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  void everyCommandAndSubcommandHasHelpWithoutAWarning() {
    List<List<String>> paths = commandPaths();
    assertTrue(paths.size() >= 25, "the walk found only " + paths);
    List<String> bad = new ArrayList<>();
    for (List<String> path : Stream.concat(Stream.of(List.<String>of()), paths.stream()).toList()) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Printed p = run(args);
      if (p.status() != 0 || !p.out().startsWith("Usage: twinrouter") || !p.err().isEmpty()
          || p.out().contains("picocli WARN")) {
        bad.add(String.join(" ", args) + " -> exit " + p.status() + ", stderr: " + p.err().strip()
            + ", stdout starts: " + p.out().lines().findFirst().orElse(""));
      }
    }
    assertEquals(List.of(), bad);
  }

  /** {@code ./twinrouter} and what follows, in code blocks (lines joined at a trailing backslash) and code spans. */
  private static final Pattern INVOCATION = Pattern.compile("\\./twinrouter((?:[ \\t]+[^\\s`;&>]+)*)");

  static List<String> invocations(String markdown) {
    List<String> out = new ArrayList<>();
    String joined = markdown.replaceAll("\\\\\\r?\\n\\s*", " ");
    Matcher m = INVOCATION.matcher(joined);
    while (m.find()) {
      // a shell comment or a pipe ends it; a '|' inside a word is a synopsis's choice (NAME|URL)
      out.add(m.group(1).replaceFirst("\\s(#|\\|\\s).*$", "").strip());
    }
    return out;
  }

  /** The READMEs and docs/*.md, found from the module directory the tests run in. */
  static List<Path> documents() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isRegularFile(root.resolve("README.md"))) {
      root = root.getParent();
    }
    assertTrue(root != null, "no README.md above " + Path.of("").toAbsolutePath());
    List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("examples/README.md")));
    try (Stream<Path> files = Files.list(root.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  void everyOptionTheDocsShowExists() throws IOException {
    CommandLine root = TwinrouterCommand.commandLine();
    List<String> bad = new ArrayList<>();
    int checked = 0;
    for (Path doc : documents()) {
      for (String invocation : invocations(Files.readString(doc))) {
        CommandLine cl = root;
        List<String> words = List.of(invocation.split("\\s+"));
        int i = 0;
        while (i < words.size() && cl.getSubcommands().containsKey(words.get(i))) {
          cl = cl.getSubcommands().get(words.get(i++));
        }
        CommandSpec spec = cl.getCommandSpec();
        for (String w : words.subList(i, words.size())) {
          String option = w.replaceFirst("^\\[+", "").replaceFirst("[=\\]].*$", "");
          if (option.startsWith("--") && option.length() > 2) {
            checked++;
            if (spec.findOption(option) == null) {
              bad.add(doc.getParent().getFileName() + "/" + doc.getFileName() + ": ./twinrouter " + invocation + ": '" + spec.qualifiedName()
                  + "' has no option " + option);
            }
          }
        }
      }
    }
    assertTrue(checked >= 40, "only " + checked + " options found in the docs");
    assertEquals(List.of(), bad);
  }

  /**
   * Every complete example (no {@code [optional]}, {@code A|B} or {@code ...} synopsis) parses as
   * written: no required option is missing, no value is of the wrong type.
   */
  @Test
  void everyCompleteExampleParses() throws IOException {
    List<String> bad = new ArrayList<>();
    int parsed = 0;
    for (Path doc : documents()) {
      for (String invocation : invocations(Files.readString(doc))) {
        if (invocation.isEmpty() || invocation.matches(".*(\\[|\\]|\\||\\.\\.\\.|'|\").*")) {
          continue;
        }
        try {
          TwinrouterCommand.commandLine().parseArgs(invocation.split("\\s+"));
          parsed++;
        } catch (CommandLine.ParameterException e) {
          bad.add(doc.getParent().getFileName() + "/" + doc.getFileName() + ": ./twinrouter " + invocation + ": " + e.getMessage());
        }
      }
    }
    assertTrue(parsed >= 15, "only " + parsed + " complete examples found");
    assertEquals(List.of(), bad);
  }
}
