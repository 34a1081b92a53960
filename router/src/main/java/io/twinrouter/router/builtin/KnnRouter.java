package io.twinrouter.router.builtin;

import io.twinrouter.router.LabeledPrefix;
import io.twinrouter.router.MessageText;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * 1-nearest-neighbour over the static bank's labelled prefixes by lexical similarity (TF-IDF
 * cosine of word tokens of {@link MessageText}); answers the nearest prefix's gold tier.
 *
 * <p>{@code knn} is <b>in-sample</b>: the asked row is itself in the index, so it usually finds
 * itself. That is the point: it is the lexical counterpart of the paper's SR-KNN upper bound
 * (in-sample 1-NN over embeddings), and it is labelled an upper bound. {@code knn-loo} leaves out
 * every row of the asked trajectory (same benchmark and instance_id), which makes it an honest
 * cross-validated baseline instead.
 */
public final class KnnRouter implements Router {
  private final List<LabeledPrefix> prefixes;
  private final TfIdfIndex index;
  private final boolean leaveInstanceOut;

  public KnnRouter(List<LabeledPrefix> prefixes, boolean leaveInstanceOut) {
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException(
          "the kNN router needs the static bank's labelled prefixes; none were given");
    }
    this.prefixes = List.copyOf(prefixes);
    this.index = new TfIdfIndex(this.prefixes.stream().map(LabeledPrefix::text).toList());
    this.leaveInstanceOut = leaveInstanceOut;
  }

  @Override
  public String name() {
    return leaveInstanceOut ? "knn-loo" : "knn";
  }

  @Override
  public boolean isUpperBound() {
    return !leaveInstanceOut;
  }

  @Override
  public RouterDecision select(RouterContext ctx) throws RouterException {
    TfIdfIndex.Hit hit =
        index.nearest(
            MessageText.of(ctx.messages()),
            d -> !leaveInstanceOut || !sameTrajectory(prefixes.get(d), ctx));
    if (hit.doc() < 0) {
      throw new RouterException(
          RouterException.Kind.UNSUPPORTED, name() + ": no labelled prefix left to compare with");
    }
    LabeledPrefix nearest = prefixes.get(hit.doc());
    return RouterDecision.forTier(
        ctx,
        nearest.gold(),
        String.format(
            Locale.ROOT,
            "%s: nearest %s (cosine %.4f), gold %s",
            name(),
            nearest.rowId(),
            hit.cosine(),
            nearest.gold().wireName()));
  }

  private static boolean sameTrajectory(LabeledPrefix p, RouterContext ctx) {
    return Objects.equals(p.instanceId(), ctx.instanceId())
        && (ctx.benchmark() == null || Objects.equals(p.benchmark(), ctx.benchmark()));
  }
}
