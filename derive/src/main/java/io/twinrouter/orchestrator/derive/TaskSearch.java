package io.twinrouter.orchestrator.derive;

import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Downgrade and cascade for one task (paper section 4, Algorithm A1), as a state machine that
 * names the next trial and learns its outcome, so a driver can batch the trials of many tasks.
 *
 * <ol>
 *   <li>Seed: the task at the strongest tier throughout; unresolved, the task is dropped.
 *   <li>Every step starts locked at high. For each step in order, the cheaper models are tried
 *       from low upward to mid_high (up to {@link #CASCADE} models of each tier, pool order: the
 *       cascade), with earlier steps at their locked models and later ones at high. The first
 *       whose whole trajectory still resolves in the seed's number of steps is locked; if none
 *       does, the step stays high.
 * </ol>
 *
 * A plan lists the model of each step from step 0, trailing high steps left out, so the same
 * trajectory always has the same plan (its cache key).
 */
final class TaskSearch {
  /** Models of one tier tried before the tier is given up (the paper's cascade). */
  static final int CASCADE = 3;

  /** One trial of the search and what it decided; the manifest's per-step log. */
  record Trial(int step, String modelId, Tier tier, TrialOutcome outcome, boolean accepted) {}

  private final String instanceId;
  private final String highModel;
  private final List<PoolModel> candidates;
  private final ModelPool pool;

  private TrialOutcome seed;
  private TrialOutcome current;
  private final List<String> locked = new ArrayList<>();
  private int candidate;
  private final List<Trial> trials = new ArrayList<>();

  TaskSearch(String instanceId, ModelPool pool) {
    this.instanceId = instanceId;
    this.pool = pool;
    this.highModel = pool.highBaseline().modelId();
    this.candidates = cheaperModels(pool);
  }

  /** The models tried at each step, cheapest tier first, at most {@link #CASCADE} per tier. */
  static List<PoolModel> cheaperModels(ModelPool pool) {
    List<PoolModel> out = new ArrayList<>();
    for (Tier t : Tier.values()) {
      if (t != Tier.HIGH) {
        pool.allOfTier(t).stream().limit(CASCADE).forEach(out::add);
      }
    }
    return out;
  }

  String instanceId() {
    return instanceId;
  }

  /** The plan of the next trial, or empty once the task is done (or dropped). */
  Optional<List<String>> nextPlan() {
    if (seed == null) {
      return Optional.of(List.of());
    }
    if (done()) {
      return Optional.empty();
    }
    List<String> plan = new ArrayList<>(locked);
    plan.add(candidates.get(candidate).modelId());
    return Optional.of(canonical(plan, highModel));
  }

  /** Learns the outcome of the trial {@link #nextPlan} named. */
  void onOutcome(TrialOutcome t) {
    if (seed == null) {
      seed = t;
      current = t;
      return;
    }
    int step = locked.size();
    PoolModel tried = candidates.get(candidate);
    boolean accepted = t.matches(seed);
    trials.add(new Trial(step, tried.modelId(), tried.tier(), t, accepted));
    if (accepted) {
      locked.add(tried.modelId());
      current = t;
      candidate = 0;
    } else if (++candidate == candidates.size()) {
      locked.add(highModel);
      candidate = 0;
    }
  }

  boolean done() {
    return seed != null && (!seed.resolved() || locked.size() >= seed.steps());
  }

  /** Whether the strongest tier resolved the task (known once the seed ran). */
  boolean kept() {
    return seed != null && seed.resolved();
  }

  TrialOutcome seed() {
    return seed;
  }

  /** The locked trajectory: the last accepted trial (the seed when nothing was downgraded). */
  TrialOutcome finalTrajectory() {
    return current;
  }

  /** The locked tier of each step, step 0 first. */
  List<Tier> targets() {
    List<Tier> out = new ArrayList<>();
    for (String m : locked) {
      out.add(pool.byId(m).orElseThrow().tier());
    }
    return out;
  }

  List<String> lockedModels() {
    return List.copyOf(locked);
  }

  List<Trial> trials() {
    return List.copyOf(trials);
  }

  /** Trials still to run, estimated: the rest of this step's cascade, one per later step. */
  int remainingEstimate(int stepsIfUnknown) {
    if (seed == null) {
      return 1 + stepsIfUnknown;
    }
    if (done()) {
      return 0;
    }
    return (candidates.size() - candidate) + (seed.steps() - locked.size() - 1);
  }

  /** A plan with trailing high steps left out: the key of the trajectory it forces. */
  static List<String> canonical(List<String> plan, String highModel) {
    int end = plan.size();
    while (end > 0 && plan.get(end - 1).equals(highModel)) {
      end--;
    }
    return List.copyOf(plan.subList(0, end));
  }
}
