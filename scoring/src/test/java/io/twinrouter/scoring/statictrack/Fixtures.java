package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.twinrouter.bank.BankLoader;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.bank.tokens.TokenizerSpec;
import io.twinrouter.config.TwinrouterSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The parity fixtures (testdata/, copied from shared/) and the token rule their README gives. */
final class Fixtures {
  static final String RULE = "regex:[A-Za-z0-9]+|[^A-Za-z0-9 \\t\\r\\u000B\\f]";
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final Map<String, LoadedBank> BANKS = new ConcurrentHashMap<>();

  private Fixtures() {}

  static Path dir() {
    return Path.of(System.getProperty("twinrouter.testdata"), "fixtures", "static-parity");
  }

  static TokenizerSet rule() {
    return TokenizerSet.uniform(TokenizerSpec.parse(RULE, "test"));
  }

  static LoadedBank bank(String name) {
    return BANKS.computeIfAbsent(name, n -> {
      try {
        return BankLoader.load(dir().resolve(n + ".jsonl"), rule());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  static Predictions predictions(String bank, String set) throws IOException {
    Path file = dir().resolve("predictions_" + bank + "_" + set + ".jsonl");
    try (Reader r = Files.newBufferedReader(file)) {
      return Predictions.parseJsonl(file.getFileName().toString(), r);
    }
  }

  static StaticScorer scorer() {
    return new StaticScorer(TwinrouterSettings.load().staticTrack());
  }

  static JsonNode read(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  /** Same keys in the same order, numbers equal as doubles (NaN equals NaN), recursively. */
  static void assertSameJson(JsonNode expected, JsonNode actual, String path) {
    if (expected.isNumber() || actual.isNumber()) {
      if (!expected.isNumber() || !actual.isNumber()) {
        throw new AssertionError(path + ": expected " + expected + " but was " + actual);
      }
      if (expected.isIntegralNumber() != actual.isIntegralNumber()) {
        throw new AssertionError(path + ": expected " + expected + " (int/float kind differs) but"
            + " was " + actual);
      }
      double e = expected.doubleValue();
      double a = actual.doubleValue();
      if (!(Double.isNaN(e) && Double.isNaN(a)) && Double.compare(e, a) != 0) {
        throw new AssertionError(path + ": expected " + e + " but was " + a);
      }
      return;
    }
    if (expected.isObject()) {
      if (!actual.isObject()) {
        throw new AssertionError(path + ": expected an object but was " + actual);
      }
      Iterator<String> en = expected.fieldNames();
      Iterator<String> an = actual.fieldNames();
      while (en.hasNext() || an.hasNext()) {
        String ek = en.hasNext() ? en.next() : null;
        String ak = an.hasNext() ? an.next() : null;
        if (ek == null || !ek.equals(ak)) {
          throw new AssertionError(path + ": expected key " + ek + " but was " + ak);
        }
        assertSameJson(expected.get(ek), actual.get(ak), path + "." + ek);
      }
      return;
    }
    if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        throw new AssertionError(path + ": expected " + expected + " but was " + actual);
      }
      for (int i = 0; i < expected.size(); i++) {
        assertSameJson(expected.get(i), actual.get(i), path + "[" + i + "]");
      }
      return;
    }
    if (!expected.equals(actual)) {
      throw new AssertionError(path + ": expected " + expected + " but was " + actual);
    }
  }
}
