package io.twinrouter.agent.grading;

import java.util.ArrayList;
import java.util.List;

/**
 * The few Python {@code str} operations SWE-bench's log parsers rely on, with Python's exact
 * semantics: {@code split()} and {@code strip()} treat every character Python calls whitespace as
 * a separator (including U+001C..U+001F, U+0085, U+00A0 and the Unicode spaces), which Java's
 * {@code String.split("\\s+")} and {@code trim()} do not.
 */
final class PyText {

  private PyText() {}

  /** Python's {@code str.isspace()} for one code point. */
  static boolean isSpace(int c) {
    return switch (c) {
      case ' ', '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xA0, 0x1680, 0x2028,
          0x2029, 0x202F, 0x205F, 0x3000 -> true;
      default -> c >= 0x2000 && c <= 0x200A;
    };
  }

  /** {@code s.split()}: runs of whitespace separate fields; no empty fields. */
  static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && isSpace(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(s.substring(start, i));
      }
    }
    return out;
  }

  /** {@code s.strip()}. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** {@code s.lstrip()}. */
  static String lstrip(String s) {
    int start = 0;
    while (start < s.length() && isSpace(s.charAt(start))) {
      start++;
    }
    return s.substring(start);
  }

  /** {@code s.split("\n")}: keeps empty fields, including a trailing one. */
  static String[] lines(String s) {
    return s.split("\n", -1);
  }

  /** {@code s.split(sep)[0]}. */
  static String before(String s, String sep) {
    int i = s.indexOf(sep);
    return i < 0 ? s : s.substring(0, i);
  }

  /** {@code s.rsplit(sep, 1)[0]}. */
  static String beforeLast(String s, String sep) {
    int i = s.lastIndexOf(sep);
    return i < 0 ? s : s.substring(0, i);
  }
}
