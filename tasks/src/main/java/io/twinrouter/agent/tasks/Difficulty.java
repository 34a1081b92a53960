package io.twinrouter.agent.tasks;

import java.util.Locale;
import java.util.Optional;

/**
 * How hard a task is to fix; the simulated pool's error model reads it. The bundled suite writes
 * {@code easy}, {@code medium} or {@code hard}; SWE-bench Verified's annotator buckets are mapped
 * onto the same three levels.
 */
public enum Difficulty {
  /** A one-line fix in an obvious place; Verified: "<15 min fix". */
  EASY,
  /** A small fix that needs some reading; Verified: "15 min - 1 hour". */
  MEDIUM,
  /** A multi-file or subtle fix; Verified: "1-4 hours" and ">4 hours". */
  HARD;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level for a dataset label, or empty when the label is not one we know. */
  public static Optional<Difficulty> fromLabel(String label) {
    return switch (label.trim().toLowerCase(Locale.ROOT)) {
      case "easy", "<15 min fix" -> Optional.of(EASY);
      case "medium", "15 min - 1 hour" -> Optional.of(MEDIUM);
      case "hard", "1-4 hours", ">4 hours" -> Optional.of(HARD);
      default -> Optional.empty();
    };
  }
}
