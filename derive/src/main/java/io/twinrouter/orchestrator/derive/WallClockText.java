package io.twinrouter.orchestrator.derive;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the one piece of an observation that depends on the wall clock, pytest's session time on
 * its summary line ({@code ===== 3 passed in 0.19s =====}), so the same seed derives the same bank
 * byte for byte. Digits become zeros, keeping the line's length and its {@code =} padding as
 * pytest printed them; nothing else in the router-visible text changes.
 */
final class WallClockText {
  private static final Pattern PYTEST_SUMMARY = Pattern.compile(
      "(?m)^(=+ [^\\n]*? in )(\\d+\\.\\d+)(s(?: \\(\\d+:\\d\\d:\\d\\d\\))? =+)$");

  private WallClockText() {}

  static String mask(String text) {
    Matcher m = PYTEST_SUMMARY.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    do {
      String zeros = m.group(2).replaceAll("\\d", "0");
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + zeros + m.group(3)
          .replaceAll("\\d", "0")));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }
}
