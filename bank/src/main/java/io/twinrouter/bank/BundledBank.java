package io.twinrouter.bank;

import io.twinrouter.bank.tokens.TokenCountCache;
import io.twinrouter.bank.tokens.TokenizerSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The static bank that ships in the jar, the embedded default of the static track: derived by
 * {@code static derive} from the bundled task suite with the simulated pool (its manifest, with
 * the pool, seed and trial log, ships beside it). Wherever a bank file is expected, the name
 * {@code bundled} means this bank unless a file of that name exists.
 */
public final class BundledBank {
  public static final String NAME = "bundled";
  /** The shard name summaries report for it. */
  public static final String FILE_NAME = "twinrouter_bundled_bank.jsonl";
  private static final String DIR = "/io/twinrouter/bank/bundled/";

  private BundledBank() {}

  /** Whether {@code file} names the bundled bank (and no file of that name is there). */
  public static boolean isBundled(Path file) {
    return file.toString().equals(NAME) && !Files.exists(file);
  }

  public static byte[] bytes() {
    return resource(FILE_NAME);
  }

  /** The derivation's manifest (pool, prices, seed, tasks, trials). */
  public static byte[] manifest() {
    return resource("twinrouter_bundled_bank.manifest.json");
  }

  public static LoadedBank load(TokenizerSet tokenizers) {
    return BankLoader.load(Path.of(FILE_NAME), bytes(), tokenizers);
  }

  /** The bank in {@code file}, or the bundled one when {@code file} is {@code bundled}. */
  public static LoadedBank loadFileOrBundled(Path file, TokenizerSet tokenizers)
      throws IOException {
    return loadFileOrBundled(file, tokenizers, TokenCountCache.disabled());
  }

  /** As {@link #loadFileOrBundled(Path, TokenizerSet)}, with the token counts of {@code cache}. */
  public static LoadedBank loadFileOrBundled(Path file, TokenizerSet tokenizers,
      TokenCountCache cache) throws IOException {
    return isBundled(file)
        ? BankLoader.load(Path.of(FILE_NAME), bytes(), tokenizers, cache)
        : BankLoader.load(file, tokenizers, cache);
  }

  private static byte[] resource(String name) {
    try (InputStream in = BundledBank.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks its bundled bank " + DIR + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled bank " + DIR + name, e);
    }
  }
}
