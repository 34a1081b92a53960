package io.twinrouter.bank.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * tiktoken's {@code cl100k_base}, the reference's fallback for every tier (spec 5.1). Text that
 * looks like a special token ({@code <|endoftext|>}) is counted as ordinary text.
 */
public final class Cl100kCounter implements TokenCounter {
  private static final class Holder {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  @Override
  public int count(String text) {
    return Holder.ENCODING.countTokensOrdinary(text);
  }

  @Override
  public String toString() {
    return "cl100k";
  }
}
