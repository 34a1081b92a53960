package io.twinrouter.router.builtin;

import io.twinrouter.config.Tier;
import io.twinrouter.router.LabeledPrefix;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the gold tier of the bank row being asked about: the static track's upper bound (it
 * scores 100 on ROWPASS and ROWEXACT by construction), for checking a pipeline end to end. Rows
 * are found by {@code row_id}, or by (instance_id, step_index) when the context has no row id.
 */
public final class OracleRouter implements Router {
  private final Map<String, Tier> byRowId = new HashMap<>();
  private final Map<String, Tier> byStep = new HashMap<>();

  public OracleRouter(List<LabeledPrefix> prefixes) {
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException(
          "the oracle router needs the static bank's gold labels; none were given "
              + "(it works in the static track only)");
    }
    for (LabeledPrefix p : prefixes) {
      if (p.rowId() != null) {
        byRowId.put(p.rowId(), p.gold());
      }
      byStep.put(stepKey(p.instanceId(), p.stepIndex()), p.gold());
    }
  }

  @Override
  public String name() {
    return "oracle";
  }

  @Override
  public boolean isUpperBound() {
    return true;
  }

  @Override
  public RouterDecision select(RouterContext ctx) throws RouterException {
    Tier gold =
        ctx.rowId() != null
            ? byRowId.get(ctx.rowId())
            : byStep.get(stepKey(ctx.instanceId(), ctx.stepIndex()));
    if (gold == null) {
      throw new RouterException(
          RouterException.Kind.UNSUPPORTED,
          "oracle: no gold label for "
              + (ctx.rowId() != null
                  ? "row " + ctx.rowId()
                  : "instance " + ctx.instanceId() + " step " + ctx.stepIndex()));
    }
    return RouterDecision.forTier(ctx, gold, "oracle: gold tier " + gold.wireName());
  }

  private static String stepKey(String instanceId, int stepIndex) {
    return instanceId + "\u0000" + stepIndex;
  }
}
