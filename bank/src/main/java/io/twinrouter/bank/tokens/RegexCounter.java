package io.twinrouter.bank.tokens;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the non-overlapping matches of a Java regular expression. Character classes match whole
 * code points, so an emoji outside the BMP is one match, as Python's len() sees it.
 */
public final class RegexCounter implements TokenCounter {
  private final Pattern pattern;

  public RegexCounter(Pattern pattern) {
    this.pattern = pattern;
  }

  @Override
  public int count(String text) {
    Matcher m = pattern.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Override
  public String toString() {
    return "regex:" + pattern.pattern();
  }
}
