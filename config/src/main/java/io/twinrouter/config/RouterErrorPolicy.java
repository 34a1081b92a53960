package io.twinrouter.config;

import java.util.Optional;

/**
 * What a live case does when its router call fails (an error, a malformed answer, no answer
 * within the select timeout): {@code end}, the reference's behaviour, ends the case as a router
 * error; {@code tier:NAME} sends that step to the pool model of tier NAME and marks the step as a
 * fallback, so a router is not scored as failing a whole case for one slow answer.
 *
 * @param fallbackTier the tier a failed call falls back to; empty for {@code end}
 */
public record RouterErrorPolicy(Optional<Tier> fallbackTier) {

  public static final RouterErrorPolicy END = new RouterErrorPolicy(Optional.empty());

  /** Parses {@code end} or {@code tier:NAME}; the message says what is accepted. */
  public static RouterErrorPolicy parse(String text) {
    String s = text == null ? "" : text.strip();
    if (s.equals("end")) {
      return END;
    }
    if (s.startsWith("tier:")) {
      String name = s.substring("tier:".length());
      try {
        return new RouterErrorPolicy(Optional.of(Tier.fromName(name)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + s + "': " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException(
        "'" + s + "' is not a policy: expected end or tier:NAME (low, mid, mid_high, high)");
  }

  /** As written in settings and score.json: {@code end} or {@code tier:NAME}. */
  public String wireName() {
    return fallbackTier.map(t -> "tier:" + t.wireName()).orElse("end");
  }

  /** Refuses a fallback tier the pool has no model of: the policy could never be applied. */
  public void checkAgainst(ModelPool pool) {
    fallbackTier.ifPresent(t -> {
      if (pool.forTier(t).isEmpty()) {
        throw new IllegalArgumentException("'" + wireName() + "': the pool has no model of tier "
            + t.wireName() + " " + pool.modelIds());
      }
    });
  }

  @Override
  public String toString() {
    return wireName();
  }
}
