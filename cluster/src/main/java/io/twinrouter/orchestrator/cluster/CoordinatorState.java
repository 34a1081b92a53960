package io.twinrouter.orchestrator.cluster;

import io.twinrouter.orchestrator.run.CaseResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The run coordinator's state: every run this cluster was given, rebuilt from the coordinator's
 * events after a move and mutated only by its event handler. Never serialised itself.
 */
public final class CoordinatorState {
  final Map<String, RunState> runs = new HashMap<>();
  /** What a page of recorded cases may hold, roughly: a third of Artery's 256 KiB frame. */
  static final long PAGE_BYTES = 80 * 1024;

  /** The state after {@code e}: the coordinator's event handler. */
  CoordinatorState apply(RunCoordinator.Event e) {
    if (e instanceof RunCoordinator.RunSubmitted s) {
      RunState run = runs.computeIfAbsent(s.spec().runId(), id -> new RunState());
      run.spec = s.spec();
      run.client = s.client();
      run.stopped = null; // submitted again after the fix
    } else if (e instanceof RunCoordinator.CaseRecorded r) {
      runs.get(r.runId()).record(new ClusterClient.RecordedCase(r.result(), r.node(),
          r.files() == null ? List.of() : r.files(), r.nodeOut()));
    } else if (e instanceof RunCoordinator.RunFilesWritten w) {
      runs.get(w.runId()).ended = true; // how runs ended before clients wrote the files
    } else if (e instanceof RunCoordinator.RunEnded end) {
      runs.get(end.runId()).ended = true;
    } else if (e instanceof RunCoordinator.RunStopped stop) {
      runs.get(stop.runId()).stopped = stop.stop();
    } else if (e instanceof RunCoordinator.ClientAttached a) {
      RunState run = runs.get(a.runId());
      run.client = a.client();
      run.spec = run.spec.withOut(a.out());
    } else if (e instanceof RunCoordinator.CaseAdmitted a) {
      runs.get(a.runId()).admitted.add(a.caseId());
    } else if (e instanceof RunCoordinator.CaseHeldBack h) {
      runs.get(h.runId()).notStarted.add(h.caseId());
    }
    return this;
  }

  /** One run: its spec, its client, and what its events said of its cases. */
  static final class RunState {
    ClusterRunSpec spec;
    ActorRef<RunCoordinator.RunUpdate> client;
    final Map<String, CaseResult> results = new LinkedHashMap<>();
    final Map<String, String> nodes = new TreeMap<>();
    final Set<String> admitted = new HashSet<>();
    final Set<String> notStarted = new LinkedHashSet<>();
    /** The recorded cases in the order recorded (what clients page through). */
    final List<ClusterClient.RecordedCase> recorded = new ArrayList<>();
    boolean ended;
    ClusterClient.RunStop stopped;

    void record(ClusterClient.RecordedCase c) {
      String id = c.result().caseId();
      if (results.putIfAbsent(id, c.result()) == null) {
        nodes.put(id, c.node());
        recorded.add(c);
      }
    }

    /**
     * Recorded cases from the {@code from}-th on, as many as keep the page well under a frame:
     * a case's report carries its patch.
     */
    ClusterClient.CasesPage page(int from, int duplicates) {
      List<ClusterClient.RecordedCase> cases = new ArrayList<>();
      long size = 0;
      for (int i = Math.max(0, from); i < recorded.size() && size < PAGE_BYTES; i++) {
        ClusterClient.RecordedCase c = recorded.get(i);
        cases.add(c);
        size += 2048 + (c.result().report() == null || c.result().report().patch() == null
            ? 0 : c.result().report().patch().length()) + 128L * c.files().size();
      }
      return new ClusterClient.CasesPage(cases, recorded.size(), ended && allDone(),
          List.copyOf(notStarted), duplicates, stopped);
    }

    /** Every case of the spec (a run submitted again: those left then) has a result or was held back. */
    boolean allDone() {
      return spec.caseIds().stream().allMatch(this::over);
    }

    boolean over(String caseId) {
      return results.containsKey(caseId) || notStarted.contains(caseId);
    }

    /** Spend of the finished cases and, as last reported, of the running ones. */
    double spendSoFar(Map<String, RunCoordinator.Live> running) {
      double spend = results.values().stream().mapToDouble(CaseResult::costUsd).sum();
      for (RunCoordinator.Live l : running.values()) {
        spend += l.spendUsd();
      }
      return spend;
    }

    /** What the run's client is told: counts, steps and spend, finished and running cases. */
    RunCoordinator.RunUpdate update(Map<String, RunCoordinator.Live> running) {
      long steps = 0;
      double spend = 0;
      int failed = 0;
      for (CaseResult r : results.values()) {
        steps += r.steps();
        spend += r.costUsd();
        failed += r.infrastructureError() ? 1 : 0;
      }
      for (RunCoordinator.Live l : running.values()) {
        steps += l.steps();
        spend += l.spendUsd();
      }
      return new RunCoordinator.RunUpdate(spec.runId(), spec.caseIds().size(),
          (int) spec.caseIds().stream().filter(this::over).count(), running.size(), failed, steps,
          spend,
          ended, null, stopped);
    }
  }
}
