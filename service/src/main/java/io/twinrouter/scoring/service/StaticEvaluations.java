package io.twinrouter.scoring.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.BankRow;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.router.LabeledPrefix;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.StaticRowView;
import io.twinrouter.router.catalog.Routers;
import io.twinrouter.scoring.statictrack.Predictions;
import io.twinrouter.scoring.statictrack.SampleSpec;
import io.twinrouter.scoring.statictrack.StaticScorer;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The static track as the service runs it: scoring a prediction body, building the router for an
 * evaluation, and the router-visible context of a row. Stateless and thread-safe; callers run it
 * on the scoring dispatcher (it is CPU work).
 */
public final class StaticEvaluations {
  /** Routers that read the bank's labels (upper bounds); only they get the labelled prefixes. */
  private static final Set<String> LABEL_READING = Set.of("oracle", "knn", "knn-loo");

  /** The source name errors of a request body start with. */
  public static final String BODY = "request body";

  public enum BodyFormat { JSONL, JSON_ARRAY }

  private final TwinrouterSettings settings;
  private final StaticScorer scorer;
  private final RouterEnvironment environment;

  public StaticEvaluations(TwinrouterSettings settings) {
    this(settings, RouterEnvironment.of(settings));
  }

  public StaticEvaluations(TwinrouterSettings settings, RouterEnvironment environment) {
    this.settings = settings;
    this.scorer = new StaticScorer(settings.staticTrack());
    this.environment = environment;
  }

  public TwinrouterSettings settings() {
    return settings;
  }

  public StaticScorer scorer() {
    return scorer;
  }

  /** Precomputes the full-bank plan, so the first score request is as fast as the next. */
  public void prepare(ServedBank bank) {
    scorer.prepare(bank.bank());
  }

  /**
   * Parses a prediction body and scores it: the summary of {@code static score --json}. Malformed
   * bodies throw an {@link io.twinrouter.config.InputFormatException} naming the line or field.
   */
  public ObjectNode score(ServedBank bank, String body, BodyFormat format, String label,
      Optional<Integer> sample, long seed) {
    Predictions predictions;
    try {
      predictions = format == BodyFormat.JSONL
          ? Predictions.parseJsonl(BODY, new StringReader(body))
          : Predictions.parseJsonArray(BODY, new StringReader(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
    return score(bank, predictions, label, sample, seed);
  }

  /**
   * As {@link #score(ServedBank, String, BodyFormat, String, Optional, long)} for a body in UTF-8
   * bytes, as it came over HTTP: JSONL is read straight from the bytes (the same answers and
   * errors as the text decoded with malformed bytes replaced), without decoding it first.
   */
  public ObjectNode score(ServedBank bank, byte[] utf8Body, BodyFormat format, String label,
      Optional<Integer> sample, long seed) {
    if (format != BodyFormat.JSONL) {
      return score(bank, new String(utf8Body, StandardCharsets.UTF_8), format, label, sample, seed);
    }
    return score(bank, Predictions.parseJsonl(BODY, utf8Body), label, sample, seed);
  }

  public ObjectNode score(ServedBank bank, Predictions predictions, String label,
      Optional<Integer> sample, long seed) {
    Optional<SampleSpec> spec = sample.map(
        n -> new SampleSpec(n, seed, settings.staticTrack().manifestLineCounts()));
    // the reference echoes its seed argument in a full-bank summary too
    return scorer.score(bank.bank(), predictions, spec, label, seed, null).summary();
  }

  /**
   * The router a name or URL designates, with this call's timeout; throws {@link
   * IllegalArgumentException} (one line, with the accepted names) for an unknown one.
   */
  public Router router(String nameOrUrl, ServedBank bank, Duration timeout) {
    return router(nameOrUrl, null, bank, timeout);
  }

  /** The same under the given label (null: the router's own name; see {@link Routers#byName}). */
  public Router router(String nameOrUrl, String label, ServedBank bank, Duration timeout) {
    RouterEnvironment env = environment.withSelectTimeout(timeout);
    if (LABEL_READING.contains(nameOrUrl.strip())) {
      env = env.withLabeledPrefixes(labeledPrefixes(bank));
    }
    return Routers.byName(nameOrUrl, label, env);
  }

  /** The context a router gets for row {@code index}: built from the row, never its label. */
  public RouterContext context(ServedBank bank, int index) {
    StaticRowView view = StaticRowView.fromJson(bank.bank().routerVisibleRow(index));
    return RouterContext.forStaticRow(view, environment.pool(), settings);
  }

  private static List<LabeledPrefix> labeledPrefixes(ServedBank bank) {
    List<LabeledPrefix> out = new ArrayList<>(bank.rows());
    for (int i = 0; i < bank.rows(); i++) {
      BankRow row = bank.bank().row(i);
      out.add(LabeledPrefix.of(StaticRowView.fromJson(bank.bank().routerVisibleRow(i)), row.goldTier()));
    }
    return out;
  }
}
