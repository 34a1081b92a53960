package io.twinrouter.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.bank.tokens.TokenizerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankLoaderTest {
  static final TokenizerSet RULE = TokenizerSet.uniform(
      TokenizerSpec.parse("regex:[A-Za-z0-9]+|[^A-Za-z0-9 \\t\\r\\u000B\\f]", "test"));
  private static final String GOOD =
      "{\"id\": \"r1\", \"benchmark\": \"b\", \"instance_id\": \"t\", \"step_index\": 1, "
          + "\"messages\": [{\"role\": \"user\", \"content\": \"Fix bug 42.\"}], "
          + "\"target_tier\": \"low\", \"target_tier_id\": 0}";

  @TempDir Path dir;

  private Path write(String... lines) throws IOException {
    Path file = dir.resolve("bank.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private BankFormatException fails(String... lines) throws IOException {
    Path file = write(lines);
    return assertThrows(BankFormatException.class, () -> BankLoader.load(file, RULE));
  }

  @Test
  void loadsTheFixtureBankWithItsFacts() throws IOException {
    Path testdata = Path.of(System.getProperty("twinrouter.testdata"));
    LoadedBank bank =
        BankLoader.load(testdata.resolve("fixtures/static-parity/bank1.jsonl"), RULE);
    assertEquals("bank1.jsonl", bank.name());
    assertEquals(56, bank.rowCount());
    assertEquals(22, bank.trajectoryCount());
    assertEquals(List.of("bfcl", "mtrag", "pinchbench", "qmsum", "swebench"), bank.benchmarks());
    assertEquals(64, bank.sha256().length());
    String visible = bank.routerVisibleJson(0);
    assertFalse(visible.contains("target_tier"), visible);
    assertTrue(visible.contains("\"messages\""), visible);
  }

  @Test
  void countsPromptsWithOverheadAndPriming() throws IOException {
    LoadedBank bank = BankLoader.load(write(GOOD), RULE);
    // "Fix bug 42." is 4 tokens; +4 per message, +2 priming
    assertEquals(10, bank.row(0).promptTokens(0));
  }

  @Test
  void aRawLineSeparatorInsideAStringIsData() throws IOException {
    LoadedBank bank = BankLoader.load(write(GOOD.replace("Fix bug 42.", "a\u2028b")), RULE);
    assertEquals(1, bank.rowCount());
    // a, U+2028, b: three tokens
    assertEquals(2 + 4 + 3, bank.row(0).promptTokens(0));
  }

  @Test
  void badJsonNamesFileAndLine() throws IOException {
    BankFormatException e = fails(GOOD, "", "{\"id\": \"r2\",");
    assertEquals(3, e.line());
    assertTrue(e.getMessage().startsWith(dir.resolve("bank.jsonl") + " line 3"), e.getMessage());
  }

  @Test
  void missingRequiredFieldsAreNamed() throws IOException {
    assertEquals("id", fails(GOOD.replace("\"id\": \"r1\", ", "")).field());
    assertEquals("benchmark", fails(GOOD.replace("\"benchmark\": \"b\", ", "")).field());
    assertEquals("target_tier_id", fails(GOOD.replace(", \"target_tier_id\": 0", "")).field());
    assertEquals("benchmark", fails(GOOD.replace("\"b\"", "7")).field());
  }

  @Test
  void tierOutOfRangeIsRejected() throws IOException {
    BankFormatException e = fails(GOOD, GOOD.replace("r1", "r2").replace(": 0}", ": 7}"));
    assertEquals(2, e.line());
    assertEquals("target_tier_id", e.field());
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
  }

  @Test
  void duplicateIdsAreRejected() throws IOException {
    BankFormatException e = fails(GOOD, GOOD);
    assertEquals(2, e.line());
    assertEquals("id", e.field());
    assertTrue(e.getMessage().contains("first on line 1"), e.getMessage());
  }

  @Test
  void aNonStringToolNameIsRejected() throws IOException {
    String row = GOOD.replace("\"content\": \"Fix bug 42.\"}", "\"content\": \"\", "
        + "\"tool_calls\": [{\"function\": {\"name\": null, \"arguments\": \"{}\"}}]}");
    assertEquals("messages[0].tool_calls[0].function.name", fails(row).field());
  }

  @Test
  void repeatedMessagesAreSharedButKeyOrderStillCounts() throws IOException {
    String call = "{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": "
        + "[{\"function\": {\"name\": \"f\", \"arguments\": %s}}]}";
    String ab = String.format(call, "{\"a\": 1, \"b\": 2}");
    String ba = String.format(call, "{\"b\": 2, \"a\": 1}");
    String row = "{\"id\": \"%s\", \"benchmark\": \"b\", \"messages\": [%s], "
        + "\"target_tier_id\": 0}";
    // counts 1 only when "a" comes before "b" in the rendered arguments
    TokenizerSet aThenB = TokenizerSet.uniform(TokenizerSpec.parse("regex:a.*b", "test"));
    LoadedBank bank = BankLoader.load(write(String.format(row, "r1", ab),
        String.format(row, "r2", ba), String.format(row, "r3", ab)), aThenB);
    assertEquals(2 + 4 + 1, bank.row(0).promptTokens(0));
    assertEquals(2 + 4, bank.row(1).promptTokens(0));
    assertEquals(2 + 4 + 1, bank.row(2).promptTokens(0));
    // the fingerprint sorts keys: r1's message is a cached prefix of r2's
    assertTrue(bank.row(0).isPrefixOf(bank.row(1)));
  }

  @Test
  void anEmptyFileHasNoRows() throws IOException {
    assertTrue(fails("", "  ").getMessage().contains("No non-empty rows"));
  }
}
