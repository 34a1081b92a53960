package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.BankRow;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.bank.json.PyRepr;
import io.twinrouter.config.StaticTrackSettings;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The static-track scorer: the reference's summary (spec 6-15) for one prediction set on a loaded
 * bank. Thread-safe: it keeps no state of its own, and its prediction-independent plans live in
 * the immutable bank, computed on first use per sample and price list.
 */
public final class StaticScorer {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  public static final long DEFAULT_SEED = 42;

  private final CostModel costs;

  public StaticScorer(StaticTrackSettings settings) {
    this.costs = CostModel.of(settings);
  }

  /** With the {@code twinrouter.static} settings of the HOCON configuration. */
  public static StaticScorer withDefaults() {
    return new StaticScorer(TwinrouterSettings.load().staticTrack());
  }

  public StaticScore score(LoadedBank bank, Predictions predictions, Optional<SampleSpec> sample,
      String label) {
    return score(bank, predictions, sample, label, null);
  }

  /**
   * Scores one prediction set.
   *
   * @param sample a proportional sample, or empty for the full bank (seed reported as 42)
   * @param label the summary's {@code classifier}
   * @param trace receives one line per priced step (the fixture trace format), or null
   * @throws PredictionFormatException when a prediction names a row the bank does not have
   * @throws SamplingException when the sample cannot be drawn
   */
  public StaticScore score(LoadedBank bank, Predictions predictions, Optional<SampleSpec> sample,
      String label, Consumer<ObjectNode> trace) {
    return score(bank, predictions, sample, label, DEFAULT_SEED, trace);
  }

  /**
   * As {@link #score(LoadedBank, Predictions, Optional, String, Consumer)}, with the seed a
   * full-bank summary reports (the reference echoes its {@code seed} argument even unsampled).
   */
  public StaticScore score(LoadedBank bank, Predictions predictions, Optional<SampleSpec> sample,
      String label, long fullBankSeed, Consumer<ObjectNode> trace) {
    checkIds(bank, predictions);
    EvaluationPlan plan = plan(bank, sample);
    int n = plan.rows.length;
    int[] pred = new int[n];
    String[] errors = new String[n];
    int missing = 0;
    for (int i = 0; i < n; i++) {
      String id = plan.rows[i].id();
      Prediction p = predictions.get(id).orElse(null);
      if (p instanceof Prediction.Routed r) {
        pred[i] = r.tier().id();
      } else {
        pred[i] = -1;
        if (p instanceof Prediction.Failed f) {
          errors[i] = f.error();
        } else {
          // the reference's file predictor raises KeyError(id); str() of it is the quoted id
          StringBuilder quoted = new StringBuilder();
          PyRepr.reprString(id, quoted);
          errors[i] = quoted.toString();
          missing++;
        }
      }
    }
    ObjectNode summary = new SummaryBuilder(plan, pred, errors, costs).build(
        label, bank.name(), sample.map(SampleSpec::seed).orElse(fullBankSeed), trace);
    int errorRows = summary.get("api_errors").intValue();
    return new StaticScore(summary, n, errorRows, missing);
  }

  /**
   * Precomputes the full-bank plan now (loading does the tokens; this does the paths), so the
   * first scoring call is as fast as the others.
   */
  public void prepare(LoadedBank bank) {
    plan(bank, Optional.empty());
  }

  /** The evaluated rows' ids in evaluation order (for a sample, its shuffled order). */
  public java.util.List<String> evaluationOrder(LoadedBank bank, Optional<SampleSpec> sample) {
    EvaluationPlan plan = plan(bank, sample);
    java.util.List<String> ids = new java.util.ArrayList<>(plan.rows.length);
    for (BankRow r : plan.rows) {
      ids.add(r.id());
    }
    return ids;
  }

  private record PlanKey(String costs, Optional<SampleSpec> sample) {}

  private EvaluationPlan plan(LoadedBank bank, Optional<SampleSpec> sample) {
    return bank.derived(new PlanKey(costs.key(), sample), b -> sample
        .map(s -> EvaluationPlan.sampled(b, s, costs))
        .orElseGet(() -> EvaluationPlan.fullBank(b, costs)));
  }

  private static void checkIds(LoadedBank bank, Predictions predictions) {
    for (String id : predictions.ids()) {
      if (bank.rowById(id).isEmpty()) {
        throw new PredictionFormatException(predictions.source(), predictions.lineOf(id), "id",
            "'" + id + "' is not a row of the bank " + bank.name());
      }
    }
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static String tierName(int id) {
    return Tier.fromId(id).wireName();
  }
}
