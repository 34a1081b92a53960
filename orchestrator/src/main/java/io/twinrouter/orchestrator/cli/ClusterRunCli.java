package io.twinrouter.orchestrator.cli;

import io.twinrouter.config.RouterTiming;
import io.twinrouter.config.SettingsException;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.console.ProgressBar;
import io.twinrouter.orchestrator.cluster.ClusterClient;
import io.twinrouter.orchestrator.cluster.ClusterSettings;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.run.RunProgress;
import io.twinrouter.orchestrator.cluster.RunCoordinator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@code live run --cluster HOST:PORT}: the run goes to the cluster; progress and result here. */
final class ClusterRunCli {
  private ClusterRunCli() {}

  /** Submits the run and follows it. */
  static LiveRun.Outcome run(LiveRunOptions o, Path specs, boolean preflightCalls,
      TwinrouterSettings settings, RouterTiming timing, String seed, ClusterMemberOptions member)
      throws InterruptedException {
    return follow(settings, seed, member, (cluster, progress) ->
        ClusterClient.run(o, specs, preflightCalls, settings, timing, cluster, progress));
  }

  /** {@code --attach RUN_ID}: follows a run submitted before. */
  static LiveRun.Outcome attach(String runId, Path out, TwinrouterSettings settings, String seed,
      ClusterMemberOptions member) throws InterruptedException {
    return follow(settings, seed, member,
        (cluster, progress) -> ClusterClient.attach(runId, out, settings, cluster, progress));
  }

  private interface Client {
    ClusterClient.Outcome follow(ClusterSettings cluster,
        Consumer<RunCoordinator.RunUpdate> progress) throws InterruptedException;
  }

  private static LiveRun.Outcome follow(TwinrouterSettings settings, String seed,
      ClusterMemberOptions member, Client client) throws InterruptedException {
    ClusterSettings cluster = member.apply(ClusterCli.apply(
        ClusterSettings.from(settings.raw()), null, List.of(seed), null));
    ProgressBar[] bar = new ProgressBar[1];
    ClusterClient.Outcome c;
    try {
      c = client.follow(cluster, u -> {
        if (bar[0] == null) {
          bar[0] = new ProgressBar("cluster " + u.runId(), u.total());
        }
        bar[0].update(u.done(), ClusterCli.status(u));
      });
    } catch (SettingsException | IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    } finally {
      if (bar[0] != null) {
        bar[0].close();
      }
    }
    var u = c.last();
    RunProgress p = new RunProgress(u.runId(), u.total(), u.done(), u.running(), u.failed(),
        c.notStarted().size(), u.steps(), u.spendUsd(), !c.notStarted().isEmpty(), true, List.of());
    List<String> infra = new ArrayList<>();
    c.score().path("infrastructure_errors").forEach(e -> infra.add(e.asText()));
    return new LiveRun.Outcome(c.runId(), c.routerLabel(), c.out(), c.score(), p, c.reused(),
        c.notStarted(), infra);
  }
}
