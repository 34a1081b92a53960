package io.twinrouter.bank.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.InputFormatException;
import io.twinrouter.config.Tier;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  private static final Path ANTHROPIC = Path.of(System.getProperty("twinrouter.shared"),
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
  void huggingFaceTokenizerLoadsOfflineAndAddsNoSpecialTokens() {
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
