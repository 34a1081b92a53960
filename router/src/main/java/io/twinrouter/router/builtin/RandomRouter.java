package io.twinrouter.router.builtin;

import io.twinrouter.router.AvailableModel;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A uniformly random pool model. The draw depends only on (seed, instance_id, step_index), not
 * on call order or threads, so a rerun with the same seed answers identically.
 */
public final class RandomRouter implements Router {
  private final long seed;

  public RandomRouter(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public RouterDecision select(RouterContext ctx) {
    long key = seed;
    key = mix(key ^ fnv1a(ctx.instanceId()));
    key = mix(key ^ ctx.stepIndex());
    int n = ctx.availableModels().size();
    AvailableModel m = ctx.availableModels().get(new SplittableRandom(key).nextInt(n));
    return RouterDecision.of(m, "random seed=" + seed);
  }

  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    if (s != null) {
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        h ^= b & 0xff;
        h *= 0x100000001b3L;
      }
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
