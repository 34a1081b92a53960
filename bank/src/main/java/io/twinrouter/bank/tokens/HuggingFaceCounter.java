package io.twinrouter.bank.tokens;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A HuggingFace {@code tokenizer.json} through DJL's bundled native tokenizers library. Counts the
 * ids of the text alone: no added special tokens, no truncation, no padding.
 *
 * <p>DJL would otherwise report usage over the network ({@code Ec2Utils.callHome}); offline mode
 * and the tracking opt-out are set before the library is touched, so it only copies its native
 * library from the jar into {@code ~/.djl.ai} (or {@code DJL_CACHE_DIR}) and never downloads.
 */
public final class HuggingFaceCounter implements TokenCounter, AutoCloseable {
  static {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    System.setProperty("OPT_OUT_TRACKING", "true");
  }

  private final Path file;
  private final HuggingFaceTokenizer tokenizer;

  public HuggingFaceCounter(Path file) throws IOException {
    this.file = file;
    this.tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of(
        "addSpecialTokens", "false",
        "truncation", "false",
        "padding", "false"));
  }

  @Override
  public int count(String text) {
    return tokenizer.encode(text, false, false).getIds().length;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "hf:" + file;
  }
}
