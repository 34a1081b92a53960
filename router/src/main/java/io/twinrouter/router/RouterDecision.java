package io.twinrouter.router;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.twinrouter.config.Tier;
import java.util.Objects;

/**
 * A router's answer: the pool model to call, its tier, and free text that goes into traces and
 * never affects scoring.
 *
 * @param decisionNanos how long the router took to decide, as measured by the caller's side
 *     (for an HTTP router: from sending the request to the parsed answer); 0 when not measured
 * @param routerError null for the router's own decision; for a fallback decision ({@code
 *     --on-router-error tier:NAME}) the failure of the router call it stands in for
 */
public record RouterDecision(
    String modelId, Tier tier, String rationale, long decisionNanos, String routerError) {

  /** Rationales longer than this are cut: they are copied into every trace row. */
  public static final int MAX_RATIONALE_CHARS = 4000;

  public RouterDecision {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(tier, "tier");
    if (rationale != null && rationale.length() > MAX_RATIONALE_CHARS) {
      rationale = rationale.substring(0, MAX_RATIONALE_CHARS) + "...";
    }
  }

  /** The router's own decision. */
  public RouterDecision(String modelId, Tier tier, String rationale, long decisionNanos) {
    this(modelId, tier, rationale, decisionNanos, null);
  }

  /**
   * The decision that stands in for a failed router call under {@code --on-router-error
   * tier:NAME}: the pool model of that tier, the failure kept for the trace.
   *
   * @param waitedNanos how long the step waited for the router before it failed
   */
  public static RouterDecision fallback(String modelId, Tier tier, String routerError,
      long waitedNanos) {
    return new RouterDecision(modelId, tier, "router error; fallback to tier " + tier.wireName(),
        waitedNanos, Objects.requireNonNull(routerError, "routerError"));
  }

  /** True when the decision stands in for a failed router call. */
  @JsonIgnore
  public boolean isFallback() {
    return routerError != null;
  }

  public static RouterDecision of(AvailableModel model, String rationale) {
    return new RouterDecision(model.modelId(), model.tier(), rationale, 0);
  }

  /** The first pool model of the tier; fails when the pool has no model of that tier. */
  public static RouterDecision forTier(RouterContext ctx, Tier tier, String rationale)
      throws RouterException {
    AvailableModel m =
        ctx.modelForTier(tier)
            .orElseThrow(
                () ->
                    new RouterException(
                        RouterException.Kind.NOT_IN_POOL,
                        "no model of tier '" + tier.wireName() + "' in the pool "
                            + ctx.modelIds()));
    return of(m, rationale);
  }

  public RouterDecision withDecisionNanos(long nanos) {
    return new RouterDecision(modelId, tier, rationale, nanos, routerError);
  }
}
