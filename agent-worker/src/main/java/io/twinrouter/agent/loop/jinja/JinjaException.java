package io.twinrouter.agent.loop.jinja;

/**
 * A template that is outside the supported subset of Jinja2, or that failed to render (an
 * undefined variable, as Jinja's {@code StrictUndefined} refuses one).
 */
public final class JinjaException extends RuntimeException {
  private final int line;

  /** @param line the template's line, counted from 1 */
  public JinjaException(int line, String message) {
    super(message);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
