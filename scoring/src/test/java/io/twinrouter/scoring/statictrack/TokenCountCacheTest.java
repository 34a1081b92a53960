package io.twinrouter.scoring.statictrack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.bank.BankLoader;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.bank.tokens.TokenCountCache;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.bank.tokens.TokenizerSpec;
import io.twinrouter.scoring.json.PythonJsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token-count cache on real files: a bank built from a cache entry (no JSON parsed) gives
 * the summary its counting gives, and nothing but the same bank, tokenizers and code version
 * reads an entry.
 */
class TokenCountCacheTest {
  @TempDir Path dir;

  private Path bank() throws IOException {
    Path copy = dir.resolve("bank1.jsonl");
    if (!Files.exists(copy)) {
      Files.copy(Fixtures.dir().resolve("bank1.jsonl"), copy);
    }
    return copy;
  }

  private static String summary(LoadedBank bank) throws IOException {
    StaticScore score = Fixtures.scorer().score(bank, Fixtures.predictions("bank1", "mixed"),
        Optional.empty(), "mixed");
    return PythonJsonWriter.write(score.summary());
  }

  private Path onlyEntry(Path cacheDir) throws IOException {
    try (Stream<Path> files = Files.list(cacheDir)) {
      List<Path> entries = files.toList();
      assertEquals(1, entries.size(), entries.toString());
      return entries.get(0);
    }
  }

  @Test
  void cachedCountsGiveTheReferenceSummaryAndSkipCounting() throws IOException {
    TokenCountCache cache = new TokenCountCache(dir.resolve("cache"), "v1");
    LoadedBank counted = BankLoader.load(bank(), Fixtures.rule(), cache);
    assertFalse(counted.tokenCountsCached());
    LoadedBank cached = BankLoader.load(bank(), Fixtures.rule(), cache);
    assertTrue(cached.tokenCountsCached());
    assertEquals(counted.trajectoryCount(), cached.trajectoryCount());
    assertEquals(counted.benchmarks(), cached.benchmarks());
    for (int r = 0; r < counted.rowCount(); r++) {
      assertEquals(counted.row(r).id(), cached.row(r).id());
      assertEquals(counted.row(r).line(), cached.row(r).line());
      assertEquals(counted.routerVisibleJson(r), cached.routerVisibleJson(r));
      assertEquals(counted.row(r).promptTokens(0), cached.row(r).promptTokens(0), "row " + r);
      for (int m = 0; m <= counted.row(r).messageCount(); m++) {
        assertEquals(counted.row(r).assistantTokensFrom(0, m),
            cached.row(r).assistantTokensFrom(0, m), "row " + r + " from " + m);
      }
    }
    assertEquals(counted.sha256(), cached.sha256());
    String expected = Files.readString(
        Fixtures.dir().resolve("expected_bank1_mixed.json"), StandardCharsets.UTF_8);
    assertEquals(summary(counted), summary(cached));
    Fixtures.assertSameJson(Fixtures.JSON.readTree(expected),
        Fixtures.JSON.readTree(summary(cached)), "$");
  }

  @Test
  void aChangedBankTokenizerOrCodeVersionMissesTheCache() throws IOException {
    Path cacheDir = dir.resolve("cache");
    TokenCountCache v1 = new TokenCountCache(cacheDir, "v1");
    BankLoader.load(bank(), Fixtures.rule(), v1);
    assertTrue(BankLoader.load(bank(), Fixtures.rule(), v1).tokenCountsCached());

    // the same rows with one more blank line: other bytes, another hash
    Files.writeString(bank(), "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    assertFalse(BankLoader.load(bank(), Fixtures.rule(), v1).tokenCountsCached());

    TokenizerSet words = TokenizerSet.uniform(TokenizerSpec.parse("regex:\\w+", "test"));
    LoadedBank byWords = BankLoader.load(bank(), words, v1);
    assertFalse(byWords.tokenCountsCached());
    assertNotEquals(BankLoader.load(bank(), Fixtures.rule(), v1).row(0).promptTokens(0),
        byWords.row(0).promptTokens(0), "the other rule counts otherwise");

    TokenCountCache v2 = new TokenCountCache(cacheDir, "v2");
    assertFalse(BankLoader.load(bank(), Fixtures.rule(), v2).tokenCountsCached());
    assertTrue(BankLoader.load(bank(), Fixtures.rule(), v2).tokenCountsCached());
  }

  @Test
  void aHuggingFaceTokenizerIsKeyedByItsContentNotItsPath() throws IOException {
    TokenCountCache cache = new TokenCountCache(dir.resolve("cache"), "v1");
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}}}");
    TokenizerSet hf = TokenizerSet.uniform(TokenizerSpec.parse("hf:" + file, "test"));
    String before = cache.key("abc", hf);
    Files.writeString(file, "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"b\": 0}}}");
    assertNotEquals(before, cache.key("abc", hf));
    assertNotEquals(cache.key("abc", Fixtures.rule()), cache.key("abd", Fixtures.rule()));
  }

  @Test
  void aTruncatedOrCorruptEntryIsIgnoredAndRewritten() throws IOException {
    Path cacheDir = dir.resolve("cache");
    TokenCountCache cache = new TokenCountCache(cacheDir, "v1");
    String expected = summary(BankLoader.load(bank(), Fixtures.rule(), cache));
    Path entry = onlyEntry(cacheDir);
    byte[] whole = Files.readAllBytes(entry);

    Files.write(entry, java.util.Arrays.copyOf(whole, whole.length / 2));
    LoadedBank afterTruncation = BankLoader.load(bank(), Fixtures.rule(), cache);
    assertFalse(afterTruncation.tokenCountsCached());
    assertEquals(expected, summary(afterTruncation));
    assertArrayEquals(whole, Files.readAllBytes(entry), "rewritten whole");

    // one count changed, its checksum not: a silent corruption the CRC must catch
    byte[] flipped = whole.clone();
    flipped[whole.length - 12] ^= 0x01;
    Files.write(entry, flipped);
    LoadedBank afterFlip = BankLoader.load(bank(), Fixtures.rule(), cache);
    assertFalse(afterFlip.tokenCountsCached());
    assertEquals(expected, summary(afterFlip));

    Files.write(entry, new byte[0]);
    assertFalse(BankLoader.load(bank(), Fixtures.rule(), cache).tokenCountsCached());
    assertTrue(BankLoader.load(bank(), Fixtures.rule(), cache).tokenCountsCached());
  }

  @Test
  void anUnwritableCacheFolderOnlyCostsTheSpeedUp() throws IOException {
    Path notADir = dir.resolve("file");
    Files.writeString(notADir, "x");
    TokenCountCache cache = new TokenCountCache(notADir.resolve("cache"), "v1");
    LoadedBank bank = BankLoader.load(bank(), Fixtures.rule(), cache);
    assertFalse(bank.tokenCountsCached());
    assertFalse(BankLoader.load(bank(), Fixtures.rule(), cache).tokenCountsCached());
  }
}
