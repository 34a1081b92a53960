package io.twinrouter.bank.tokens;

import io.twinrouter.config.InputFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How one tier counts tokens: {@code cl100k} (jtokkit), {@code hf:PATH} (a HuggingFace
 * tokenizer.json through DJL) or {@code regex:PATTERN} (the number of matches of a Java regex).
 */
public sealed interface TokenizerSpec {

  /** The canonical text of the spec, the form {@link #parse} accepts. */
  String text();

  TokenCounter open();

  record Cl100k() implements TokenizerSpec {
    @Override
    public String text() {
      return "cl100k";
    }

    @Override
    public TokenCounter open() {
      return new Cl100kCounter();
    }
  }

  record HuggingFace(Path file) implements TokenizerSpec {
    @Override
    public String text() {
      return "hf:" + file;
    }

    @Override
    public TokenCounter open() {
      try {
        return new HuggingFaceCounter(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load tokenizer " + file + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new InputFormatException(file.toString(), 0, null,
            "not a HuggingFace tokenizer.json: " + e.getMessage());
      }
    }
  }

  record Regex(Pattern pattern) implements TokenizerSpec {
    @Override
    public String text() {
      return "regex:" + pattern.pattern();
    }

    @Override
    public TokenCounter open() {
      return new RegexCounter(pattern);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Regex r && r.pattern.pattern().equals(pattern.pattern());
    }

    @Override
    public int hashCode() {
      return pattern.pattern().hashCode();
    }
  }

  /**
   * Parses {@code cl100k}, {@code hf:PATH} or {@code regex:PATTERN}.
   *
   * @param source where the spec came from, for the error ({@code --tokenizer}, a config key)
   */
  static TokenizerSpec parse(String spec, String source) {
    String s = spec == null ? "" : spec.strip();
    if (s.equals("cl100k") || s.equals("cl100k_base")) {
      return new Cl100k();
    }
    if (s.startsWith("hf:")) {
      Path file = Path.of(s.substring(3));
      if (!Files.isRegularFile(file)) {
        throw new InputFormatException(source, 0, null,
            "tokenizer file " + file + " does not exist (hf:PATH needs a tokenizer.json)");
      }
      return new HuggingFace(file);
    }
    if (s.startsWith("regex:")) {
      String pattern = spec.substring(spec.indexOf("regex:") + 6);
      if (pattern.isEmpty()) {
        throw new InputFormatException(source, 0, null, "regex: needs a pattern");
      }
      try {
        return new Regex(Pattern.compile(pattern));
      } catch (PatternSyntaxException e) {
        throw new InputFormatException(source, 0, null,
            "invalid regular expression: " + e.getDescription() + " near index " + e.getIndex()
                + " of " + pattern);
      }
    }
    throw new InputFormatException(source, 0, null,
        "unknown tokenizer '" + spec + "' (expected cl100k, hf:PATH or regex:PATTERN)");
  }
}
