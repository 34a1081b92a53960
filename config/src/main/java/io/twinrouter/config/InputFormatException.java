package io.twinrouter.config;

/**
 * A user's input file (or request body) is malformed. Carries where: the source name, the 1-based
 * line (0 when the problem is not tied to one line) and the field, so every caller can print one
 * clear line and the CLI can exit with status 2.
 */
public class InputFormatException extends RuntimeException {
  private final String source;
  private final int line;
  private final String field;
  private final String problem;

  public InputFormatException(String source, int line, String field, String problem) {
    super(describe(source, line, field, problem));
    this.source = source;
    this.line = line;
    this.field = field;
    this.problem = problem;
  }

  private static String describe(String source, int line, String field, String problem) {
    StringBuilder s = new StringBuilder(source);
    if (line > 0) {
      s.append(" line ").append(line);
    }
    if (field != null && !field.isEmpty()) {
      s.append(", field ").append(field);
    }
    return s.append(": ").append(problem).toString();
  }

  public String source() {
    return source;
  }

  /** 1-based line number, or 0 when the problem concerns the whole input. */
  public int line() {
    return line;
  }

  /** The offending field ({@code target_tier_id}, {@code messages[2].content}), or null. */
  public String field() {
    return field;
  }

  /** The problem without the location prefix. */
  public String problem() {
    return problem;
  }
}
