package io.twinrouter.router;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which track built a context: a bank row of the static track, or a live agent's model call. */
public enum Track {
  STATIC,
  LIVE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Track fromWireName(String name) {
    for (Track t : values()) {
      if (t.wireName().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown track '" + name + "' (expected static or live)");
  }
}
