package io.twinrouter.agent.loop.jinja;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into text, {@code {{ expression }}} and {@code {% statement %}} pieces, as
 * Jinja2's default environment does: comments dropped, {@code -} at a tag's edge removing the
 * whitespace (newlines included) on that side, and one newline at the very end of the template
 * removed ({@code keep_trailing_newline=False}), which is why a YAML block ending in a newline
 * renders without it.
 */
final class JinjaLexer {

  enum Kind { TEXT, EXPRESSION, STATEMENT }

  /** One piece; {@code line} is where it starts (from 1). */
  record Piece(Kind kind, String content, int line) {}

  private JinjaLexer() {}

  static List<Piece> lex(String source) {
    String src = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
    List<Piece> pieces = new ArrayList<>();
    int pos = 0;
    boolean stripNext = false;
    while (pos <= src.length()) {
      int open = nextOpen(src, pos);
      String text = src.substring(pos, open < 0 ? src.length() : open);
      if (stripNext) {
        text = text.stripLeading();
      }
      if (open < 0) {
        add(pieces, text, lineAt(src, pos));
        break;
      }
      char kind = src.charAt(open + 1);
      String close = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
      int bodyStart = open + 2;
      if (bodyStart < src.length() && src.charAt(bodyStart) == '-') {
        text = text.stripTrailing();
        bodyStart++;
      } else if (bodyStart < src.length() && src.charAt(bodyStart) == '+') {
        bodyStart++;
      }
      add(pieces, text, lineAt(src, pos));
      int line = lineAt(src, open);
      int end = closing(src, bodyStart, close);
      if (end < 0) {
        throw new JinjaException(line, "'" + src.substring(open, open + 2) + "' is never closed");
      }
      int bodyEnd = end;
      stripNext = false;
      if (bodyEnd > bodyStart && src.charAt(bodyEnd - 1) == '-') {
        stripNext = true;
        bodyEnd--;
      } else if (bodyEnd > bodyStart && src.charAt(bodyEnd - 1) == '+') {
        bodyEnd--;
      }
      String body = src.substring(bodyStart, bodyEnd).strip();
      if (kind == '{') {
        pieces.add(new Piece(Kind.EXPRESSION, body, line));
      } else if (kind == '%') {
        pieces.add(new Piece(Kind.STATEMENT, body, line));
      }
      pos = end + 2;
    }
    return pieces;
  }

  private static void add(List<Piece> pieces, String text, int line) {
    if (!text.isEmpty()) {
      pieces.add(new Piece(Kind.TEXT, text, line));
    }
  }

  private static int nextOpen(String s, int from) {
    for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
      char c = s.charAt(i + 1);
      if (c == '{' || c == '%' || c == '#') {
        return i;
      }
    }
    return -1;
  }

  /** The closing delimiter's index, skipping string literals inside an expression. */
  private static int closing(String s, int from, String close) {
    if (close.equals("#}")) {
      return s.indexOf(close, from);
    }
    char quote = 0;
    for (int i = from; i + 1 < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == close.charAt(0) && s.charAt(i + 1) == close.charAt(1)) {
        return i;
      }
    }
    return -1;
  }

  static int lineAt(String s, int index) {
    int line = 1;
    for (int i = 0; i < index && i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
