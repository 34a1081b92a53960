package io.twinrouter.scoring.statictrack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.common.PythonRandom;
import io.twinrouter.config.TwinrouterSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProportionalSamplerTest {
  private static final Map<String, Integer> MANIFEST =
      TwinrouterSettings.load().staticTrack().manifestLineCounts();

  @Test
  void mersenneTwisterMatchesCPython() {
    PythonRandom r42 = new PythonRandom(42);
    assertArrayEquals(new long[] {2746317213L, 478163327L, 107420369L},
        new long[] {r42.getrandbits(32), r42.getrandbits(32), r42.getrandbits(32)});
    PythonRandom r0 = new PythonRandom(0);
    assertArrayEquals(new long[] {3626764237L, 1654615998L, 3255389356L},
        new long[] {r0.getrandbits(32), r0.getrandbits(32), r0.getrandbits(32)});
    PythonRandom dice = new PythonRandom(42);
    int[] rolls = new int[5];
    for (int i = 0; i < 5; i++) {
      rolls[i] = dice.randint(1, 10);
    }
    assertArrayEquals(new int[] {2, 1, 5, 4, 4}, rolls);
  }

  @Test
  void negativeSeedsSeedLikeTheirAbsoluteValue() {
    assertEquals(new PythonRandom(42).nextU32(), new PythonRandom(-42).nextU32());
  }

  @Test
  void quotasBreakEqualRemaindersByName() {
    // n=30: pinchbench and qmsum share the remainder 0.48453608247422686; pinchbench wins
    assertEquals(Map.of("bfcl", 8, "mtrag", 6, "pinchbench", 2, "qmsum", 4, "swebench", 10),
        ProportionalSampler.quotas(30, MANIFEST));
    assertEquals(List.of("bfcl", "mtrag", "pinchbench", "qmsum", "swebench"),
        List.copyOf(ProportionalSampler.quotas(20, MANIFEST).keySet()));
    int sum = ProportionalSampler.quotas(20, MANIFEST).values().stream().mapToInt(i -> i).sum();
    assertEquals(20, sum);
  }

  @Test
  void sampledOrderIsTheReferenceOrder() throws IOException {
    List<String> expected =
        Files.readAllLines(Fixtures.dir().resolve("order_bank1_mixed_n30_seed123.txt")).stream()
            .filter(l -> !l.isBlank()).toList();
    List<String> order = Fixtures.scorer().evaluationOrder(Fixtures.bank("bank1"),
        Optional.of(new SampleSpec(30, 123, MANIFEST)));
    assertEquals(expected, order);
  }

  @Test
  void badSamplesAreInputErrors() {
    SamplingException zero = assertThrows(SamplingException.class,
        () -> ProportionalSampler.quotas(0, MANIFEST));
    assertTrue(zero.getMessage().contains("positive"), zero.getMessage());
    assertThrows(SamplingException.class, () -> ProportionalSampler.quotas(5, Map.of()));
    assertThrows(SamplingException.class,
        () -> ProportionalSampler.quotas(5, Map.of("a", 0, "b", 0)));
    // bank1 has 48-weight pinchbench rows, but not 300 rows' worth of every benchmark
    SamplingException tooFew = assertThrows(SamplingException.class,
        () -> ProportionalSampler.sample(Fixtures.bank("bank1"), new SampleSpec(300, 1, MANIFEST)));
    assertTrue(tooFew.getMessage().contains("Not enough rows for benchmark"), tooFew.getMessage());
  }
}
