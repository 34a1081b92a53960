package io.twinrouter.agent.grading;

import io.twinrouter.bank.PyText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SWE-bench v4.1.0's {@code parse_log_django}: Django's runner at verbosity 2 prints
 * "test_x (module.Class) ... ok" lines, "FAIL: name" / "ERROR: name" headers and, when a test
 * writes to the console, the "ok" on a later line. Quirks kept: the last "name ... " line is
 * remembered for the whole log, so any later line starting with "ok" marks it passed; a
 * multi-line docstring description ends up as the test name it was printed with; and the third
 * "noisy output" pattern wants no full stop after "(0 silenced)" and so never matches Django's
 * own message.
 */
final class DjangoLogParser {

  private DjangoLogParser() {}

  private static final String[] PASS_SUFFIXES = {" ... ok", " ... OK", " ...  OK"};

  /** Python's {@code \s} on str patterns (Unicode whitespace, as str.isspace()). */
  private static final String PY_SPACE =
      "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A"
          + "\\u2028\\u2029\\u202F\\u205F\\u3000]";

  private static final Pattern[] NOISY_OK = {
    pattern("^(.*?)" + PY_SPACE + "\\.\\.\\." + PY_SPACE
        + "Testing\\ against\\ Django\\ installed\\ in\\ ((?s:.*?))\\ silenced\\)\\.\\nok$"),
    pattern("^(.*?)" + PY_SPACE + "\\.\\.\\." + PY_SPACE
        + "Internal\\ Server\\ Error:\\ \\/(.*)\\/\\nok$"),
    pattern("^(.*?)" + PY_SPACE + "\\.\\.\\." + PY_SPACE
        + "System check identified no issues \\(0 silenced\\)\\nok$"),
  };

  private static Pattern pattern(String regex) {
    // UNIX_LINES: only \n ends a line and '.' matches \r, as in Python's re
    return Pattern.compile(regex, Pattern.MULTILINE | Pattern.UNIX_LINES);
  }

  static Map<String, String> parse(String log) {
    Map<String, String> map = new LinkedHashMap<>();
    String prevTest = null;
    for (String rawLine : PyText.lines(log)) {
      String line = PyText.strip(rawLine);

      if (line.contains("--version is equivalent to version")) {
        map.put("--version is equivalent to version", "PASSED");
      }
      if (line.contains(" ... ")) {
        prevTest = PyText.before(line, " ... ");
      }
      for (String suffix : PASS_SUFFIXES) {
        if (line.endsWith(suffix)) {
          // SWE-bench's special case for django__django-7188, where a migration message and
          // the test name share a line
          if (PyText.strip(line)
              .startsWith("Applying sites.0002_alter_domain_unique...test_no_migrations")) {
            int i = line.indexOf("...");
            line = PyText.strip(line.substring(i + 3));
          }
          map.put(PyText.beforeLast(line, suffix), "PASSED");
          break;
        }
      }
      if (line.contains(" ... skipped")) {
        map.put(PyText.before(line, " ... skipped"), "SKIPPED");
      }
      if (line.endsWith(" ... FAIL")) {
        map.put(PyText.before(line, " ... FAIL"), "FAILED");
      }
      if (line.startsWith("FAIL:")) {
        map.put(PyText.strip(PytestLogParsers.token(line, 1)), "FAILED");
      }
      if (line.endsWith(" ... ERROR")) {
        map.put(PyText.before(line, " ... ERROR"), "ERROR");
      }
      if (line.startsWith("ERROR:")) {
        map.put(PyText.strip(PytestLogParsers.token(line, 1)), "ERROR");
      }
      if (PyText.lstrip(line).startsWith("ok") && prevTest != null) {
        map.put(prevTest, "PASSED");
      }
    }
    for (Pattern p : NOISY_OK) {
      Matcher m = p.matcher(log);
      while (m.find()) {
        map.put(m.group(1), "PASSED");
      }
    }
    return map;
  }
}
