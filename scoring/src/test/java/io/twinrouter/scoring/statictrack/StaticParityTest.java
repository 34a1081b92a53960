package io.twinrouter.scoring.statictrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.scoring.json.PythonJsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reference vector of testdata/fixtures/static-parity, key by key and step by step. */
class StaticParityTest {
  private static final Pattern NAME =
      Pattern.compile("expected_(bank\\d+)_([a-z-]+?)(?:_n(\\d+)_seed(\\d+))?\\.json");

  record Vector(String file, String bank, String set, Optional<SampleSpec> sample) {
    @Override
    public String toString() {
      return file;
    }

    String stem() {
      return file.substring("expected_".length(), file.length() - ".json".length());
    }
  }

  static Stream<Vector> vectors() throws IOException {
    List<Vector> list = new ArrayList<>();
    try (Stream<Path> files = Files.list(Fixtures.dir())) {
      for (Path p : files.sorted().toList()) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches()) {
          Optional<SampleSpec> sample = m.group(3) == null ? Optional.empty()
              : Optional.of(new SampleSpec(Integer.parseInt(m.group(3)),
                  Long.parseLong(m.group(4)),
                  TwinrouterSettings.load().staticTrack().manifestLineCounts()));
          list.add(new Vector(p.getFileName().toString(), m.group(1), m.group(2), sample));
        }
      }
    }
    assertEquals(7, list.size(), "parity vectors found in " + Fixtures.dir());
    return list.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void summaryMatchesTheReference(Vector v) throws IOException {
    StaticScore score = Fixtures.scorer().score(Fixtures.bank(v.bank), 
        Fixtures.predictions(v.bank, v.set), v.sample, v.set);
    JsonNode expected = Fixtures.read(Fixtures.dir().resolve(v.file));
    Fixtures.assertSameJson(expected, score.summary(), "$");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void summaryTextIsPythonsText(Vector v) throws IOException {
    StaticScore score = Fixtures.scorer().score(Fixtures.bank(v.bank),
        Fixtures.predictions(v.bank, v.set), v.sample, v.set);
    String expected = Files.readString(Fixtures.dir().resolve(v.file), StandardCharsets.UTF_8);
    assertEquals(expected, PythonJsonWriter.write(score.summary()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void traceMatchesStepByStep(Vector v) throws IOException {
    List<ObjectNode> lines = new ArrayList<>();
    Fixtures.scorer().score(Fixtures.bank(v.bank), Fixtures.predictions(v.bank, v.set), v.sample,
        v.set, lines::add);
    List<String> expected =
        Files.readAllLines(Fixtures.dir().resolve("trace_" + v.stem() + ".jsonl")).stream()
            .filter(l -> !l.isBlank()).toList();
    assertEquals(expected.size(), lines.size(), "priced steps");
    for (int i = 0; i < expected.size(); i++) {
      Fixtures.assertSameJson(Fixtures.JSON.readTree(expected.get(i)), lines.get(i),
          "trace line " + (i + 1));
    }
  }
}
