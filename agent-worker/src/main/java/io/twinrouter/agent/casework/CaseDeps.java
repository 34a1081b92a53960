package io.twinrouter.agent.casework;

import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.ChatModel;
import io.twinrouter.agent.loop.RouteChooser;
import io.twinrouter.agent.loop.ShellOpener;
import io.twinrouter.agent.loop.Templates;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.config.ModelPool;
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
    Templates templates,
    ChatModel model,
    ShellOpener shells,
    RouteChooser router,
    PatchGrader grader,
    DoubleSupplier clock) {

  public static DoubleSupplier wallClock() {
    return () -> System.currentTimeMillis() / 1000.0;
  }
}
