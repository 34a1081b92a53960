package io.twinrouter.config;

import com.typesafe.config.Config;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Constants of the static-track scorer (spec sections 1, 3.2 and 5.1).
 *
 * @param rates one representative rate per tier, USD per 1M tokens
 * @param cacheTtlSteps a cache expires when the step_index gap exceeds this
 * @param fallbackOutputTokens output tokens when nothing can be estimated
 * @param nominalCompletionTokens section-11 nominal completion tokens per step
 * @param manifestLineCounts per-benchmark row counts of the official manifest, the weights of
 *     proportional sampling (ascending by name)
 * @param tokenizers per-tier token-counting spec ({@code cl100k}, {@code hf:PATH}, {@code
 *     regex:PATTERN}); a tier without an entry counts with cl100k
 */
public record StaticTrackSettings(
    Map<Tier, Rates> rates,
    int cacheTtlSteps,
    int fallbackOutputTokens,
    int nominalCompletionTokens,
    Map<String, Integer> manifestLineCounts,
    Map<Tier, String> tokenizers) {

  public StaticTrackSettings {
    rates = Collections.unmodifiableMap(new EnumMap<>(rates));
    manifestLineCounts = Collections.unmodifiableMap(new LinkedHashMap<>(manifestLineCounts));
    tokenizers = tokenizers.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new EnumMap<>(tokenizers));
  }

  public Rates rates(Tier tier) {
    return rates.get(tier);
  }

  static StaticTrackSettings from(Config c) {
    Map<Tier, Rates> rates = new EnumMap<>(Tier.class);
    for (Tier t : Tier.values()) {
      rates.put(t, Rates.from(c.getConfig("rates." + t.wireName())));
    }
    Map<String, Integer> manifest = new TreeMap<>();
    Config m = c.getConfig("manifest-line-counts");
    for (String key : m.root().keySet()) {
      manifest.put(key, m.getInt(key));
    }
    Map<Tier, String> tokenizers = new EnumMap<>(Tier.class);
    Config tk = c.getConfig("tokenizers");
    for (Tier t : Tier.values()) {
      if (tk.hasPath(t.wireName()) && !tk.getString(t.wireName()).isBlank()) {
        tokenizers.put(t, tk.getString(t.wireName()));
      }
    }
    return new StaticTrackSettings(
        rates,
        c.getInt("cache-ttl-steps"),
        c.getInt("fallback-output-tokens"),
        c.getInt("nominal-completion-tokens"),
        manifest,
        tokenizers);
  }
}
