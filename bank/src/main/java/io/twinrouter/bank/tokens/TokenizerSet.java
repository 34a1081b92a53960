package io.twinrouter.bank.tokens;

import io.twinrouter.config.Tier;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The token counter of each tier. Tiers with the same spec share one counter slot, so a bank is
 * tokenized once per distinct tokenizer, not once per tier. Counters are cached per process: the
 * cl100k ranks and a tokenizer.json are loaded once however many banks are opened. A counter is
 * opened when it is first asked for, not when the set is made, so a bank whose counts come from
 * the {@link TokenCountCache} never loads a vocabulary or the native tokenizers library.
 */
public final class TokenizerSet {
  private static final Map<TokenizerSpec, TokenCounter> OPEN = new ConcurrentHashMap<>();

  private final Map<Tier, TokenizerSpec> specs;
  private final int[] slotOfTier = new int[4];
  private final List<TokenizerSpec> slotSpecs = new ArrayList<>();

  private TokenizerSet(Map<Tier, TokenizerSpec> specs) {
    this.specs = new EnumMap<>(specs);
    for (Tier t : Tier.values()) {
      TokenizerSpec spec = specs.getOrDefault(t, new TokenizerSpec.Cl100k());
      this.specs.put(t, spec);
      int slot = slotSpecs.indexOf(spec);
      if (slot < 0) {
        slot = slotSpecs.size();
        slotSpecs.add(spec);
      }
      slotOfTier[t.id()] = slot;
    }
  }

  /** Tiers without an entry count with cl100k, the reference's fallback. */
  public static TokenizerSet of(Map<Tier, TokenizerSpec> specs) {
    return new TokenizerSet(specs);
  }

  public static TokenizerSet uniform(TokenizerSpec spec) {
    Map<Tier, TokenizerSpec> all = new EnumMap<>(Tier.class);
    for (Tier t : Tier.values()) {
      all.put(t, spec);
    }
    return new TokenizerSet(all);
  }

  /** From {@code twinrouter.static.tokenizers} ({@code StaticTrackSettings.tokenizers()}). */
  public static TokenizerSet fromSettings(Map<Tier, String> configured) {
    Map<Tier, TokenizerSpec> specs = new EnumMap<>(Tier.class);
    configured.forEach((tier, text) ->
        specs.put(tier, TokenizerSpec.parse(text, "twinrouter.static.tokenizers." + tier)));
    return new TokenizerSet(specs);
  }

  /**
   * The CLI's {@code --tokenizer} options over the configured defaults: a bare {@code SPEC} sets
   * every tier, {@code TIER=SPEC} one tier (applied after the bare ones). With no options, the
   * configuration decides, and a tier configured with nothing counts with cl100k.
   */
  public static TokenizerSet fromOptions(List<String> options, Map<Tier, String> configured) {
    if (options.isEmpty()) {
      return fromSettings(configured);
    }
    Map<Tier, TokenizerSpec> specs = new EnumMap<>(Tier.class);
    configured.forEach((tier, text) ->
        specs.put(tier, TokenizerSpec.parse(text, "twinrouter.static.tokenizers." + tier)));
    for (String option : options) {
      if (tierOf(option) == null) {
        TokenizerSpec spec = TokenizerSpec.parse(option, "--tokenizer");
        for (Tier t : Tier.values()) {
          specs.put(t, spec);
        }
      }
    }
    for (String option : options) {
      Tier tier = tierOf(option);
      if (tier != null) {
        specs.put(tier, TokenizerSpec.parse(option.substring(option.indexOf('=') + 1),
            "--tokenizer " + tier));
      }
    }
    return new TokenizerSet(specs);
  }

  private static Tier tierOf(String option) {
    int eq = option.indexOf('=');
    if (eq <= 0) {
      return null;
    }
    String name = option.substring(0, eq);
    for (Tier t : Tier.values()) {
      if (t.wireName().equals(name)) {
        return t;
      }
    }
    return null;
  }

  public TokenizerSpec spec(Tier tier) {
    return specs.get(tier);
  }

  public int slotCount() {
    return slotSpecs.size();
  }

  public int slot(Tier tier) {
    return slotOfTier[tier.id()];
  }

  public int slot(int tierId) {
    return slotOfTier[tierId];
  }

  /** The counter of a slot, opened on first use (a bad tokenizer.json fails here). */
  public TokenCounter counter(int slot) {
    return OPEN.computeIfAbsent(slotSpecs.get(slot), TokenizerSpec::open);
  }

  /** The spec each slot counts with, in slot order. */
  public List<TokenizerSpec> slotSpecs() {
    return List.copyOf(slotSpecs);
  }

  /**
   * The count of each text under each slot, {@code [slot][text]}. Texts repeat (a tool output
   * quoted twice), so each distinct text is counted once, on every core.
   */
  public int[][] countEach(String[] texts) {
    Map<String, Integer> ids = new HashMap<>();
    List<String> distinct = new ArrayList<>();
    int[] idOf = new int[texts.length];
    for (int i = 0; i < texts.length; i++) {
      idOf[i] = ids.computeIfAbsent(texts[i], t -> {
        distinct.add(t);
        return distinct.size() - 1;
      });
    }
    int[][] counts = new int[slotCount()][texts.length];
    for (int s = 0; s < counts.length; s++) {
      TokenCounter counter = counter(s);
      int[] c = new int[distinct.size()];
      IntStream.range(0, c.length).parallel().forEach(i -> c[i] = counter.count(distinct.get(i)));
      for (int i = 0; i < texts.length; i++) {
        counts[s][i] = c[idOf[i]];
      }
    }
    return counts;
  }

  /** {@code low=cl100k, mid=cl100k, ...}, for logs and the bench report. */
  public String describe() {
    StringJoiner j = new StringJoiner(", ");
    for (Tier t : Tier.values()) {
      j.add(t.wireName() + "=" + specs.get(t).text());
    }
    return j.toString();
  }
}
