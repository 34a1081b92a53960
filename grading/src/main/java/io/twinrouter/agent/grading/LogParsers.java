package io.twinrouter.agent.grading;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The log parsers by name. The names are ours; each stands for one of SWE-bench v4.1.0's parser
 * functions, and {@link RepoSpecs} picks the one SWE-bench uses for a repository.
 */
public final class LogParsers {

  public static final String PYTEST = "pytest";
  public static final String PYTEST_V2 = "pytest-v2";
  public static final String PYTEST_OPTIONS = "pytest-options";
  public static final String DJANGO = "django";
  public static final String SYMPY = "sympy";
  public static final String MATPLOTLIB = "matplotlib";
  public static final String SEABORN = "seaborn";

  private static final Map<String, LogParser> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put(PYTEST, PytestLogParsers::pytest);
    BY_NAME.put(PYTEST_V2, PytestLogParsers::pytestV2);
    BY_NAME.put(PYTEST_OPTIONS, PytestLogParsers::pytestOptions);
    BY_NAME.put(DJANGO, DjangoLogParser::parse);
    BY_NAME.put(SYMPY, SympyLogParser::parse);
    BY_NAME.put(MATPLOTLIB, PytestLogParsers::matplotlib);
    BY_NAME.put(SEABORN, PytestLogParsers::seaborn);
  }

  /**
   * SWE-bench's own names for the parsers (its {@code log_parsers} functions), as rows of
   * SWE-Gym- or SWE-rebench-style sets name them in their install config, and the same names
   * written with underscores.
   */
  private static final Map<String, String> ALIASES = Map.of(
      "parse_log_pytest", PYTEST,
      "parse_log_pytest_v2", PYTEST_V2,
      "parse_log_pytest_options", PYTEST_OPTIONS,
      "parse_log_django", DJANGO,
      "parse_log_sympy", SYMPY,
      "parse_log_matplotlib", MATPLOTLIB,
      "parse_log_seaborn", SEABORN,
      "pytest_v2", PYTEST_V2,
      "pytest_options", PYTEST_OPTIONS);

  private LogParsers() {}

  /** Our name for a parser given by ours or by one of SWE-bench's; unknown names stay as given. */
  public static String canonical(String name) {
    return ALIASES.getOrDefault(name, name);
  }

  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  public static Optional<LogParser> find(String name) {
    return Optional.ofNullable(BY_NAME.get(canonical(name)));
  }

  /** @throws IllegalArgumentException naming the known parsers when {@code name} is unknown */
  public static LogParser byName(String name) {
    LogParser p = BY_NAME.get(canonical(name));
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown log parser '" + name + "'; known: " + String.join(", ", names())
              + " (or SWE-bench's names: " + String.join(", ", new java.util.TreeSet<>(ALIASES.keySet()))
              + ")");
    }
    return p;
  }
}
