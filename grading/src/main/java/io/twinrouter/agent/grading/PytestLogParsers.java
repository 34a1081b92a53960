package io.twinrouter.agent.grading;

import io.twinrouter.bank.PyText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SWE-bench v4.1.0's pytest-family parsers ({@code parse_log_pytest}, {@code _pytest_options},
 * {@code _pytest_v2}, {@code _matplotlib}, {@code _seaborn}), quirks included: they read the
 * {@code -rA} short summary ("STATUS name [- message]") and ignore everything else.
 */
final class PytestLogParsers {

  private PytestLogParsers() {}

  /** Short-summary lines: "PASSED a.py::t", "FAILED a.py::t - AssertionError: ...". */
  static Map<String, String> pytest(String log) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : PyText.lines(log)) {
      summaryLine(line, map);
    }
    return map;
  }

  private static void summaryLine(String line, Map<String, String> map) {
    TestStatus status = TestStatus.prefixOf(line);
    if (status == null) {
      return;
    }
    if (status == TestStatus.FAILED) {
      // every " - " goes, not only the one before the message: the name is token 2 either way
      line = line.replace(" - ", " ");
    }
    List<String> tokens = PyText.split(line);
    if (tokens.size() > 1) {
      map.put(tokens.get(1), tokens.get(0));
    }
  }

  private static final Pattern OPTION = Pattern.compile("(.*?)\\[(.*)\\]", Pattern.UNIX_LINES);

  /**
   * As {@link #pytest}, but a parametrised id that is an absolute path keeps only its last
   * component ({@code t[/tmp/x/y.txt]} becomes {@code t[/y.txt]}), so ids do not depend on where
   * the test ran (requests, pylint, pydicom).
   */
  static Map<String, String> pytestOptions(String log) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : PyText.lines(log)) {
      TestStatus status = TestStatus.prefixOf(line);
      if (status == null) {
        continue;
      }
      if (status == TestStatus.FAILED) {
        line = line.replace(" - ", " ");
      }
      List<String> tokens = PyText.split(line);
      if (tokens.size() <= 1) {
        continue;
      }
      String name = tokens.get(1);
      Matcher m = OPTION.matcher(name);
      if (m.find()) {
        String main = m.group(1);
        String option = m.group(2);
        if (option.startsWith("/") && !option.startsWith("//") && !option.contains("*")) {
          option = "/" + option.substring(option.lastIndexOf('/') + 1);
        }
        name = main + "[" + option + "]";
      }
      map.put(name, tokens.get(0));
    }
    return map;
  }

  /** {@code re.sub(r"\[(\d+)m", "", line)}: only single-number SGR codes ("[1;31m" survives). */
  private static final Pattern SGR = Pattern.compile("\\[(\\p{Nd}+)m");

  /**
   * The later-pytest parser (astropy, scikit-learn, sphinx): strips "[NNm" colour codes and every
   * control character U+0001..U+001F (tabs and carriage returns included), then reads summary
   * lines, or else "name STATUS" lines of verbose classic output, where the status is token 2.
   */
  static Map<String, String> pytestV2(String log) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String raw : PyText.lines(log)) {
      String line = stripControls(SGR.matcher(raw).replaceAll(""));
      TestStatus status = TestStatus.prefixOf(line);
      if (status != null) {
        if (status == TestStatus.FAILED) {
          line = line.replace(" - ", " ");
        }
        List<String> tokens = PyText.split(line);
        if (tokens.size() >= 2) {
          map.put(tokens.get(1), tokens.get(0));
        }
      } else if (TestStatus.anySuffixOf(line)) {
        List<String> tokens = PyText.split(line);
        if (tokens.size() >= 2) {
          map.put(tokens.get(0), tokens.get(1));
        }
      }
    }
    return map;
  }

  private static String stripControls(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 1 || c > 31) {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** As {@link #pytest}, with matplotlib's enum reprs in ids rewritten to their values. */
  static Map<String, String> matplotlib(String log) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : PyText.lines(log)) {
      summaryLine(line.replace("MouseButton.LEFT", "1").replace("MouseButton.RIGHT", "3"), map);
    }
    return map;
  }

  /**
   * seaborn's parser: FAILED summary lines, "name PASSED ..." verbose lines and PASSED summary
   * lines; other statuses are not read at all.
   */
  static Map<String, String> seaborn(String log) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : PyText.lines(log)) {
      if (line.startsWith("FAILED")) {
        map.put(token(line, 1), "FAILED");
      } else if (line.contains(" PASSED ")) {
        if (token(line, 1).equals("PASSED")) {
          map.put(token(line, 0), "PASSED");
        }
      } else if (line.startsWith("PASSED")) {
        map.put(token(line, 1), "PASSED");
      }
    }
    return map;
  }

  /** {@code line.split()[i]}, raising where Python raises IndexError. */
  static String token(String line, int i) {
    List<String> tokens = PyText.split(line);
    if (tokens.size() <= i) {
      throw new LogParseException("SWE-bench's parser fails on the line: " + line);
    }
    return tokens.get(i);
  }
}
