package io.twinrouter.orchestrator.branch;

import io.twinrouter.agent.journal.RecordedStep;
import io.twinrouter.config.PoolModel;
import java.nio.file.Path;
import java.util.List;

/**
 * One counterfactual branch: a case of the source run, replayed up to step {@code at}, whose step
 * {@code at} goes to {@code model}.
 *
 * @param name the branch's name in the run ({@code <case>@<at>:<choice>}), its supervisor ticket
 * @param runId its own run id: its journal and its files are its own
 * @param dir where its case files go ({@code <out>/<case>/k<at>-<choice>})
 * @param replayed the source's journalled steps before {@code at}
 * @param paidUsd what the source paid for those steps; the branch does not pay them again
 */
record Branch(String name, String caseId, int at, String choice, PoolModel model, String runId,
    Path dir, List<RecordedStep> replayed, double paidUsd) {

  static Branch of(SourceRun source, Path out, String caseId, int at, String choice,
      PoolModel model) {
    List<RecordedStep> before = source.steps().get(caseId).stream()
        .filter(s -> s.stepIndex() < at).toList();
    String tag = "k" + at + "-" + choice.replaceAll("[^A-Za-z0-9._-]+", "_");
    return new Branch(caseId + "@" + at + ":" + choice, caseId, at, choice, model,
        source.runId() + ".branch." + tag, out.resolve(caseId).resolve(tag), before,
        before.stream().mapToDouble(RecordedStep::costUsd).sum());
  }
}
