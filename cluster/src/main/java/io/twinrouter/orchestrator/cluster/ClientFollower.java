package io.twinrouter.orchestrator.cluster;

import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.orchestrator.live.RunStoppedException;
import io.twinrouter.orchestrator.run.CaseResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The client's side of a clustered run, on the client's main thread (it blocks; no actor does):
 * hears the run's updates, pages through the cases the coordinator recorded, writes each case's
 * files into {@code --out} as they arrive ({@link CaseOutputs}) and, once the run has ended, the
 * run's own files ({@link RunFiles}). A client that attaches later does the same from the first
 * recorded case, so its {@code --out} ends as the first client's would have.
 */
final class ClientFollower {
  private final ActorSystem<?> system;
  private final ActorRef<RunCoordinator.Command> coordinator;
  private final TwinrouterSettings settings;
  private final Path out;
  private final Duration askTimeout;
  private final BlockingQueue<RunCoordinator.RunUpdate> updates = new LinkedBlockingQueue<>();
  private final ActorRef<RunCoordinator.RunUpdate> inbox;

  ClientFollower(ActorSystem<?> system, TwinrouterSettings settings, Path out, String runId) {
    this.system = system;
    this.settings = settings;
    this.out = out;
    this.coordinator = ClusterNode.coordinator(system, settings);
    this.askTimeout = settings.raw().getDuration("twinrouter.cluster.ask-timeout");
    this.inbox = system.systemActorOf(Behaviors.receive(RunCoordinator.RunUpdate.class)
            .onMessage(RunCoordinator.RunUpdate.class, u -> {
              updates.add(u);
              return Behaviors.same();
            }).build(),
        "follow-" + runId.replaceAll("[^A-Za-z0-9_-]", "_"), Props.empty());
  }

  /** Submits the run; its updates come to this follower. */
  void submit(ClusterRunSpec spec) {
    coordinator.tell(new RunCoordinator.SubmitRun(spec, inbox));
  }

  /**
   * Attaches to a run this cluster has, asking until the coordinator answers.
   *
   * @throws IllegalArgumentException when the cluster has no such run
   */
  ClusterRunSpec attach(String runId) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        ClusterClient.RunInfo info = AskPattern.<RunCoordinator.Command, ClusterClient.RunInfo>ask(
                coordinator,
                replyTo -> new RunCoordinator.AttachRun(runId, out.toString(), inbox, replyTo),
                askTimeout, system.scheduler())
            .toCompletableFuture().get();
        if (info.spec() == null) {
          throw new IllegalArgumentException("--attach " + runId + ": the cluster has no such run");
        }
        return info.spec();
      } catch (ExecutionException e) {
        if (attempt >= 24) { // the coordinator may be moving; about two minutes in all
          throw new IllegalStateException("the run coordinator does not answer", e.getCause());
        }
      }
    }
  }

  /**
   * Follows the run to its end, writing every recorded case's files and then the run's files.
   *
   * @return the last update and the score written
   */
  Ending follow(ClusterRunSpec spec, Consumer<RunCoordinator.RunUpdate> progress)
      throws InterruptedException {
    List<ClusterClient.RecordedCase> written = new ArrayList<>();
    RunCoordinator.RunUpdate last = null;
    while (true) {
      RunCoordinator.RunUpdate u = updates.poll(1, TimeUnit.SECONDS);
      for (; u != null; u = updates.poll()) {
        if (u.error() != null) {
          throw new IllegalStateException("run " + spec.runId() + ": " + u.error());
        }
        progress.accept(u);
        last = u;
      }
      ClusterClient.CasesPage page = page(spec.runId(), written.size());
      if (page == null) {
        continue; // the coordinator is moving: ask again
      }
      for (ClusterClient.RecordedCase c : page.cases()) {
        CaseOutputs.write(system, out, c.files(), c.nodeOut());
        written.add(c);
      }
      if (page.stopped() != null && written.size() >= page.recorded()) {
        throw stopped(spec, page.stopped(), written.size());
      }
      if (page.ended() && written.size() >= page.recorded()) {
        // the coordinator tells the run's end right after it journalled it
        while (last == null || !last.finished()) {
          u = updates.poll(askTimeout.toMillis(), TimeUnit.MILLISECONDS);
          if (u == null) {
            break;
          }
          progress.accept(u);
          last = u;
        }
        if (last == null || !last.finished()) {
          last = new RunCoordinator.RunUpdate(spec.runId(), spec.caseIds().size(),
              written.size() + page.notStarted().size(), 0, 0, 0, 0, true, null, null);
        }
        return new Ending(last, writeRunFiles(spec, written, page), page.notStarted());
      }
    }
  }

  /**
   * A run a set-up mistake stopped, once the finished cases' files are written: bad input (exit 2)
   * when a node's preflight refused the pool before any case finished, else the run's stop
   * (exit 3) as in a single-node run.
   */
  private static RuntimeException stopped(ClusterRunSpec spec, ClusterClient.RunStop stop,
      int finished) {
    if (stop.preflight() && finished == 0) {
      return new IllegalArgumentException(stop.reason());
    }
    return new RunStoppedException("the run stopped: " + stop.reason() + "\n" + finished
        + " of " + spec.caseIds().size() + " case(s) finished; the others wrote no result and keep"
        + " their journalled steps. Fix it and run the same command again (same --out and"
        + " --run-id) to resume.", null);
  }

  /** The update a client last heard and the score it wrote. */
  record Ending(RunCoordinator.RunUpdate last, com.fasterxml.jackson.databind.node.ObjectNode score,
      List<String> notStarted) {}

  private com.fasterxml.jackson.databind.node.ObjectNode writeRunFiles(ClusterRunSpec spec,
      List<ClusterClient.RecordedCase> cases, ClusterClient.CasesPage page) {
    List<CaseResult> results = cases.stream().map(ClusterClient.RecordedCase::result).toList();
    Map<String, String> nodes = new TreeMap<>();
    cases.forEach(c -> nodes.put(c.result().caseId(), c.node()));
    return RunFiles.write(spec, out, results, page.notStarted(), nodes, page.duplicates(),
        settings);
  }

  private ClusterClient.CasesPage page(String runId, int from) throws InterruptedException {
    try {
      return AskPattern.<RunCoordinator.Command, ClusterClient.CasesPage>ask(coordinator,
              replyTo -> new RunCoordinator.GetCases(runId, from, replyTo), askTimeout,
              system.scheduler())
          .toCompletableFuture().get(askTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }
}
