package io.twinrouter.bank;

import java.util.ArrayList;
import java.util.List;

/**
 * Python {@code str} operations with Python's exact semantics: {@code split()} and {@code strip()}
 * treat every character Python calls whitespace as a separator (including U+001C..U+001F, U+0085,
 * U+00A0 and the Unicode spaces), which Java's {@code String.split("\\s+")} and {@code trim()} do
 * not. The bank loader and SWE-bench's log parsers both rely on them.
 */
public final class PyText {
  private PyText() {}

  /** Python's {@code str.isspace()} for one character. */
  public static boolean isSpace(char c) {
    return (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0
        || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
        || c == 0x202F || c == 0x205F || c == 0x3000;
  }

  /** {@code s.strip()}. */
  public static String strip(String s) {
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
  public static String lstrip(String s) {
    int start = 0;
    while (start < s.length() && isSpace(s.charAt(start))) {
      start++;
    }
    return s.substring(start);
  }

  /** {@code s.split()}: runs of whitespace separate fields; no empty fields. */
  public static List<String> split(String s) {
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

  /** {@code s.split("\n")}: keeps empty fields, including a trailing one. */
  public static String[] lines(String s) {
    return s.split("\n", -1);
  }

  /** {@code s.split(sep)[0]}. */
  public static String before(String s, String sep) {
    int i = s.indexOf(sep);
    return i < 0 ? s : s.substring(0, i);
  }

  /** {@code s.rsplit(sep, 1)[0]}. */
  public static String beforeLast(String s, String sep) {
    int i = s.lastIndexOf(sep);
    return i < 0 ? s : s.substring(0, i);
  }
}
