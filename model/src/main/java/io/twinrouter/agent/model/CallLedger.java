package io.twinrouter.agent.model;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What one model call tells the ledger beyond its usage: which model was asked for, which the
 * provider says answered, and the paid responses the client received but could not use before
 * the answer it kept. A router is scored on the models it chose, so a provider that silently
 * serves another model (an OpenRouter fallback, a proxy's alias) must show in the score.
 *
 * @param requestedModel the {@code model} of the request (the pool model's {@code api-model})
 * @param servedModel the {@code model} the response names; null when it names none
 * @param servedProvider OpenRouter's {@code provider} (the upstream that answered); null elsewhere
 * @param unusable paid responses received before this answer that the client could not use
 */
public record CallLedger(
    String requestedModel, String servedModel, String servedProvider,
    List<UnusableResponse> unusable) {

  /** For turns made without a provider (tests, older journals). */
  public static final CallLedger NONE = new CallLedger(null, null, null, List.of());

  // a dated snapshot of the requested alias: gpt-4o -> gpt-4o-2024-08-06, claude-x -> claude-x-20250514
  private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile("-\\d{4}-?\\d{2}-?\\d{2}");

  public CallLedger {
    unusable = unusable == null ? List.of() : List.copyOf(unusable);
  }

  /** The same facts with more unusable responses before them (a loop's format errors). */
  public CallLedger withUnusableBefore(List<UnusableResponse> earlier) {
    if (earlier.isEmpty()) {
      return this;
    }
    List<UnusableResponse> all = new java.util.ArrayList<>(earlier);
    all.addAll(unusable);
    return new CallLedger(requestedModel, servedModel, servedProvider, all);
  }

  /**
   * True when the response names a model other than the one requested. The same name in another
   * case, and the requested alias followed by a date (OpenAI and Anthropic answer an alias with
   * the snapshot that served it), are not mismatches; a response that names no model is not one
   * either.
   */
  public boolean servedModelMismatch() {
    return mismatch(requestedModel, servedModel);
  }

  /** {@link #servedModelMismatch()} for two names read from a trace. */
  public static boolean mismatch(String requested, String served) {
    if (requested == null || served == null || served.isEmpty()) {
      return false;
    }
    String r = requested.toLowerCase(Locale.ROOT);
    String s = served.toLowerCase(Locale.ROOT);
    return !s.equals(r)
        && !(s.startsWith(r) && SNAPSHOT_SUFFIX.matcher(s.substring(r.length())).matches());
  }
}
