package io.twinrouter.orchestrator.compare;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code compare} was asked to do.
 *
 * @param routers two or three router names or URLs; the first is A, the second B, ...
 * @param tasks a task file, or {@code bundled}
 * @param pool {@code sim} or a pool file
 * @param sandbox {@code docker} or {@code local}
 * @param budgetUsd the most the whole comparison may spend (all routers, all repeats)
 * @param effect the smallest difference in resolve rate worth detecting
 * @param repeats runs of each (router, case), each with its own seed
 * @param maxCases the most cases to run per router, or empty for the whole suite
 * @param batch cases each router runs between two looks of the test
 * @param from earlier run directories to plan from (discordance, bill per case)
 * @param baseRate B's resolve rate assumed when {@code from} is empty
 */
public record CompareOptions(List<String> routers, String tasks, String pool, String sandbox,
    Optional<Double> budgetUsd, double effect, double alpha, double power, int repeats,
    Optional<Integer> maxCases, int batch, long seed, int workers, Path out, List<Path> from,
    double baseRate) {

  public CompareOptions {
    routers = List.copyOf(routers);
    from = List.copyOf(from);
    if (routers.size() < 2 || routers.size() > 3) {
      throw new IllegalArgumentException("--routers must name two or three routers, got " + routers);
    }
    if (routers.stream().distinct().count() != routers.size()
        && routers.stream().distinct().count() != 1) {
      // a router against itself is the A/A check; otherwise each name once
      throw new IllegalArgumentException("--routers names a router twice: " + routers);
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats must be at least 1, got " + repeats);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
    }
    if (maxCases.isPresent() && maxCases.get() < 1) {
      throw new IllegalArgumentException("--max-cases must be at least 1, got " + maxCases.get());
    }
    if (budgetUsd.isPresent() && !(budgetUsd.get() > 0)) {
      throw new IllegalArgumentException("--budget-usd must be above 0, got " + budgetUsd.get());
    }
    if (!(baseRate >= 0 && baseRate < 1)) {
      throw new IllegalArgumentException("--base-rate must be in [0, 1), got " + baseRate);
    }
  }

  public CompareOptions withMaxCases(int n) {
    return new CompareOptions(routers, tasks, pool, sandbox, budgetUsd, effect, alpha, power,
        repeats, Optional.of(n), batch, seed, workers, out, from, baseRate);
  }

  /** The pairs of routers the test compares, by index: every pair, A before B. */
  public List<int[]> pairs() {
    return routers.size() == 2 ? List.<int[]>of(new int[] {0, 1})
        : List.of(new int[] {0, 1}, new int[] {0, 2}, new int[] {1, 2});
  }

  /**
   * The level of each pair's test: {@code alpha} split evenly over the pairs (Bonferroni), so
   * the chance of any wrong winner stays at most {@code alpha}.
   */
  public double alphaPerPair() {
    return alpha / pairs().size();
  }

  /** The directory of one router's arm ({@code repeat} from 0), a normal live run's {@code --out}. */
  public Path armDir(int router, int repeat) {
    Path dir = out.resolve(armName(router));
    return repeats == 1 ? dir : dir.resolve("repeat-" + (repeat + 1));
  }

  /** The router's folder name: its name made file-safe, with its position when named twice. */
  public String armName(int router) {
    String safe = routers.get(router).replaceAll("[^A-Za-z0-9._-]+", "_");
    return routers.stream().distinct().count() == routers.size() ? safe
        : (char) ('a' + router) + "-" + safe;
  }
}
