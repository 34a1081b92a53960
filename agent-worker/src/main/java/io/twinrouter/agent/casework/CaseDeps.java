package io.twinrouter.agent.casework;

import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.ChatModel;
import io.twinrouter.agent.loop.RouteChooser;
import io.twinrouter.agent.loop.ShellOpener;
import io.twinrouter.agent.loop.Prompts;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.config.ModelPool;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * What every case of a run shares: settings, the pool, and the clients of the outside world.
 *
 * @param clock Unix seconds (wall clock; the harness cache's timestamps)
 */
public record CaseDeps(
    ModelPool pool,
    LiveTrackSettings limits,
    AgentSettings agent,
    Prompts prompts,
    ChatModel model,
    ShellOpener shells,
    RouteChooser router,
    PatchGrader grader,
    DoubleSupplier clock,
    Optional<CaseJournaling> journaling) {

  public CaseDeps {
    journaling = journaling == null ? Optional.empty() : journaling;
  }

  /** Without a journal: a restarted case starts over from step 0. */
  public CaseDeps(ModelPool pool, LiveTrackSettings limits, AgentSettings agent,
      Prompts prompts, ChatModel model, ShellOpener shells, RouteChooser router,
      PatchGrader grader, DoubleSupplier clock) {
    this(pool, limits, agent, prompts, model, shells, router, grader, clock, Optional.empty());
  }

  /** These dependencies with every finished step recorded in a journal, and resumed from it. */
  public CaseDeps withJournaling(CaseJournaling j) {
    return new CaseDeps(pool, limits, agent, prompts, model, shells, router, grader, clock,
        Optional.of(j));
  }

  public static DoubleSupplier wallClock() {
    return () -> System.currentTimeMillis() / 1000.0;
  }
}
