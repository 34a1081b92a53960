package io.twinrouter.orchestrator.branch;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code live branch} was asked to do.
 *
 * @param from the source run's directory (its run.json, results/ and journal)
 * @param cases the source's cases to branch; empty for all of them
 * @param at the steps to branch at; empty for every step of each case's source trajectory
 * @param choices what step K goes to: tier names, pool model ids, or {@code source} (the model
 *     the source run chose there: the control branch, which must reproduce the source)
 * @param then the router of the steps after K: {@code same} (the source run's), a router name,
 *     or a tier (shorthand for {@code always-TIER})
 */
public record BranchOptions(Path from, Optional<List<String>> cases, Optional<List<Integer>> at,
    List<String> choices, String then, Path out, int workers, Optional<Double> budgetUsd) {

  public static final String SAME = "same";
  public static final String SOURCE = "source";

  public BranchOptions {
    choices = List.copyOf(choices);
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("--choice/--choices: at least one tier or model");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
    }
  }
}
