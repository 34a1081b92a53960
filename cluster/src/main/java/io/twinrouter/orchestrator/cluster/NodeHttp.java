package io.twinrouter.orchestrator.cluster;

import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.scoring.gap.GapSources;
import io.twinrouter.scoring.http.HttpSettings;
import io.twinrouter.scoring.http.ScoringServer;
import io.twinrouter.scoring.service.LiveRuns;
import io.twinrouter.scoring.service.StaticEvaluations;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A node's HTTP API: the scoring service's routes, bound in the node's actor system on
 * {@code http-host} (loopback by default), with {@code /v1/live/runs} answered by the cluster's live-run registry
 * singleton, so every node serves the same runs, progress and scores. A node serves no static
 * bank ({@code serve} does): it is there to follow clustered runs.
 */
final class NodeHttp {
  private NodeHttp() {}

  /** The settings of {@code twinrouter.http}, on the node's HTTP host and port. */
  static HttpSettings settings(ClusterSettings cluster, TwinrouterSettings settings) {
    return HttpSettings.from(settings.raw()).withAddress(cluster.httpHost(), cluster.httpPort());
  }

  static CompletionStage<ServerBinding> bind(ActorContext<?> ctx, HttpSettings http,
      TwinrouterSettings settings, ActorRef<LiveRuns.Command> registry) {
    return ScoringServer.bind(ctx, http, new StaticEvaluations(settings), List::of,
        GapSources.none(settings.liveTrack().failurePenaltyUsd()), registry);
  }
}
