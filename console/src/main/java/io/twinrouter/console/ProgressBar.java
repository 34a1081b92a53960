package io.twinrouter.console;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on stderr for long commands. On a terminal it redraws one line in place (at most
 * ten times a second); when stderr is not a terminal (CI logs, pipes) it prints a plain line at
 * every tenth of the way, so logs stay readable.
 */
public final class ProgressBar implements AutoCloseable {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final String label;
  private long total;
  private final PrintStream out;
  private final boolean interactive;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private int lastDecile = -1;
  private long done;
  private String suffix = "";

  public ProgressBar(String label, long total) {
    this(label, total, System.err, System.console() != null);
  }

  ProgressBar(String label, long total, PrintStream out, boolean interactive) {
    this.label = label;
    this.total = Math.max(0, total);
    this.out = out;
    this.interactive = interactive;
  }

  /**
   * Sets how much is done and a short status (e.g. "3 failed, $0.42"); thread-safe. Counts from
   * concurrent workers may arrive out of order, so the bar never moves backwards.
   */
  public synchronized void update(long done, String suffix) {
    this.done = Math.max(this.done, Math.min(done, total));
    this.suffix = suffix == null ? "" : suffix;
    long now = System.nanoTime();
    if (interactive) {
      if (now - lastDraw >= REDRAW_NANOS || this.done == total) {
        lastDraw = now;
        out.print("\r" + line());
        out.flush();
      }
    } else {
      int decile = total == 0 ? 10 : (int) (10 * this.done / total);
      if (decile != lastDecile) {
        lastDecile = decile;
        out.println(line());
      }
    }
  }

  /** Changes the total, for work whose size is only estimated up front; never below what is done. */
  public synchronized void retotal(long newTotal) {
    this.total = Math.max(done, newTotal);
  }

  public synchronized void step(String suffix) {
    update(done + 1, suffix);
  }

  String line() {
    double frac = total == 0 ? 1.0 : (double) done / total;
    int filled = (int) Math.round(frac * WIDTH);
    double secs = (System.nanoTime() - startNanos) / 1e9;
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %d/%d %3.0f%% %.1fs%s",
        label,
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        done,
        total,
        100 * frac,
        secs,
        suffix.isEmpty() ? "" : " " + suffix);
  }

  @Override
  public synchronized void close() {
    if (interactive) {
      out.print("\r" + line() + "\n");
    } else if (lastDecile != 10) {
      out.println(line());
    }
    out.flush();
  }
}
