package io.twinrouter.router;

/** Counts tokens of a text for routers that look at prefix length. */
@FunctionalInterface
public interface TokenCounter {
  int count(String text);

  /** About four characters a token: close enough for a length threshold, and free. */
  TokenCounter CHARS_DIV_4 = text -> (text.length() + 3) / 4;
}
