package io.twinrouter.config;

import java.util.Locale;

/**
 * The four ordered tiers of TwinRouterBench. A higher id is a stronger and more expensive tier; a
 * prediction passes a row when its id is at least the gold id.
 */
public enum Tier {
  LOW(0, "low"),
  MID(1, "mid"),
  MID_HIGH(2, "mid_high"),
  HIGH(3, "high");

  private final int id;
  private final String wireName;

  Tier(int id, String wireName) {
    this.id = id;
    this.wireName = wireName;
  }

  public int id() {
    return id;
  }

  /** The public name used in banks, prediction files and JSON ({@code low}, {@code mid_high}...). */
  public String wireName() {
    return wireName;
  }

  public boolean atLeast(Tier other) {
    return id >= other.id;
  }

  public static Tier fromId(int id) {
    if (id < 0 || id > 3) {
      throw new IllegalArgumentException("tier id " + id + " is out of range 0..3");
    }
    return values()[id];
  }

  /** Parses a public tier name; throws with the accepted names when it is none of them. */
  public static Tier fromName(String name) {
    if (name != null) {
      for (Tier t : values()) {
        if (t.wireName.equals(name.toLowerCase(Locale.ROOT))) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown tier '" + name + "' (expected one of low, mid, mid_high, high)");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
