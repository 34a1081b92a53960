package io.twinrouter.bank.tokens;

/** Counts the tokens one tier's tokenizer produces for a text. Implementations are thread-safe. */
@FunctionalInterface
public interface TokenCounter {
  int count(String text);
}
