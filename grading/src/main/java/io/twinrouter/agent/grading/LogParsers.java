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

  private LogParsers() {}

  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  public static Optional<LogParser> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** @throws IllegalArgumentException naming the known parsers when {@code name} is unknown */
  public static LogParser byName(String name) {
    LogParser p = BY_NAME.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown log parser '" + name + "'; known: " + String.join(", ", names()));
    }
    return p;
  }
}
