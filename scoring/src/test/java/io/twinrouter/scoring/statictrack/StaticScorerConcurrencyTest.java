package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.config.TwinrouterSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One loaded bank, many prediction sets scored at once (as the HTTP service does). */
class StaticScorerConcurrencyTest {

  @Test
  void concurrentScoresEqualSequentialOnes() throws Exception {
    LoadedBank bank = Fixtures.bank("bank1");
    StaticScorer scorer = Fixtures.scorer();
    List<String> sets = List.of("always-high", "always-low", "mixed");
    Optional<SampleSpec> sample = Optional.of(new SampleSpec(30, 123,
        TwinrouterSettings.load().staticTrack().manifestLineCounts()));
    List<JsonNode> expected = new ArrayList<>();
    for (String set : sets) {
      expected.add(Fixtures.read(Fixtures.dir().resolve("expected_bank1_" + set + ".json")));
    }
    JsonNode sampled =
        Fixtures.read(Fixtures.dir().resolve("expected_bank1_mixed_n30_seed123.json"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < sets.size(); i++) {
          int k = i;
          futures.add(pool.submit(() -> {
            Predictions p = Fixtures.predictions("bank1", sets.get(k));
            Fixtures.assertSameJson(expected.get(k),
                scorer.score(bank, p, Optional.empty(), sets.get(k)).summary(), sets.get(k));
            return null;
          }));
        }
        futures.add(pool.submit(() -> {
          Fixtures.assertSameJson(sampled, scorer.score(bank,
              Fixtures.predictions("bank1", "mixed"), sample, "mixed").summary(), "sample");
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
