package io.twinrouter.bank.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.twinrouter.config.InputFormatException;
import io.twinrouter.config.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  private static final Path ANTHROPIC = Path.of(System.getProperty("twinrouter.shared", "../shared"),
      "data", "tokenizers", "anthropic_tokenizer.json");

  @Test
  void regexRuleCountsCodePointsLikeTheFixtureReadme() {
    TokenCounter rule =
        TokenizerSpec.parse("regex:[A-Za-z0-9]+|[^A-Za-z0-9 \\t\\r\\u000B\\f]", "t").open();
    assertEquals(4, rule.count("Fix bug 42."));
    assertEquals(18, rule.count("Hello, wörld! 😀 {\"a\": 1}\nx_y"));
  }

  @Test
  void cl100kCountsTiktokenTokens() {
    TokenCounter cl100k = TokenizerSpec.parse("cl100k", "t").open();
    assertEquals(2, cl100k.count("hello world"));
    assertEquals(0, cl100k.count(""));
    // special-token text is ordinary text, never an error
    assertTrue(cl100k.count("<|endoftext|>") > 1);
  }

  @Test
  void huggingFaceTokenizerCountsTheTextAloneWithoutSpecialTokensOrTruncation() throws Exception {
    // a hand-written WordLevel tokenizer.json whose post-processor adds [CLS]/[SEP] and whose
    // truncation is 8: a counter that let either through would count 2 more, or at most 8
    Path file = Path.of(TokenCounterTest.class.getResource("/tokenizers/wordlevel.json").toURI());
    TokenCounter hf = TokenizerSpec.parse("hf:" + file, "t").open();
    assertEquals(0, hf.count(""));
    assertEquals(10, hf.count("The quick brown fox jumps over the lazy dog. "));
    // words outside the vocabulary are one [UNK] each; punctuation runs split from words
    assertEquals(6, hf.count("Fix bug 42, zebra!"));
    assertEquals(4000, hf.count("The quick brown fox jumps over the lazy dog. ".repeat(400)));
  }

  @Test
  void theHighTiersTokenizerLoadsOffline() {
    assumeTrue(Files.isRegularFile(ANTHROPIC),
        "NOT RUN: the high tier's tokenizer " + ANTHROPIC + " is absent (../shared is not beside"
            + " this checkout); CI has it");
    TokenCounter hf = TokenizerSpec.parse("hf:" + ANTHROPIC, "t").open();
    assertEquals(0, hf.count(""));
    int one = hf.count("The quick brown fox jumps over the lazy dog. ");
    assertTrue(one > 5 && one < 20, "tokens: " + one);
    // no truncation at a model max length
    assertTrue(hf.count("The quick brown fox jumps over the lazy dog. ".repeat(400)) > 2000);
  }

  @Test
  void tiersWithOneSpecShareACounter() {
    TokenizerSet set = TokenizerSet.of(Map.of(Tier.HIGH, TokenizerSpec.parse("regex:\\w+", "t")));
    assertEquals(2, set.slotCount());
    assertEquals(set.slot(Tier.LOW), set.slot(Tier.MID_HIGH));
    assertEquals("low=cl100k, mid=cl100k, mid_high=cl100k, high=regex:\\w+", set.describe());
  }

  @Test
  void badSpecsAreClearErrors() {
    assertThrows(InputFormatException.class, () -> TokenizerSpec.parse("gpt2", "--tokenizer"));
    assertThrows(InputFormatException.class, () -> TokenizerSpec.parse("regex:(", "--tokenizer"));
    InputFormatException missing = assertThrows(InputFormatException.class,
        () -> TokenizerSpec.parse("hf:/no/such/tokenizer.json", "--tokenizer"));
    assertTrue(missing.getMessage().contains("/no/such/tokenizer.json"));
  }
}
