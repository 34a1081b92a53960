package io.twinrouter.agent.sim;

import java.util.Locale;

/** How hard a task is for the simulated models; scales every step's error probability. */
public enum Difficulty {
  EASY,
  MEDIUM,
  HARD;

  public static Difficulty fromName(String name) {
    for (Difficulty d : values()) {
      if (d.name().toLowerCase(Locale.ROOT).equals(name.trim().toLowerCase(Locale.ROOT))) {
        return d;
      }
    }
    throw new IllegalArgumentException("difficulty must be easy, medium or hard, got '" + name + "'");
  }

  /**
   * The size rule used when a task has no {@code difficulty}: up to 6 changed lines in one file is
   * easy, up to 20 changed lines in at most two files is medium, anything larger is hard.
   */
  public static Difficulty fromPatch(String patch) {
    int changed = 0;
    int files = 0;
    for (String line : patch.split("\n", -1)) {
      if (line.startsWith("diff --git ")) {
        files++;
      } else if ((line.startsWith("+") && !line.startsWith("+++"))
          || (line.startsWith("-") && !line.startsWith("---"))) {
        changed++;
      }
    }
    if (changed <= 6 && files <= 1) {
      return EASY;
    }
    return changed <= 20 && files <= 2 ? MEDIUM : HARD;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
