package io.twinrouter.agent.loop;

import java.util.Objects;

/**
 * The instance a case works on, as far as the loop needs it.
 *
 * @param problemStatement the issue text, inserted verbatim as {@code {{task}}}
 * @param repo the repository name ({@code owner/name}), recorded in the result's extra block
 */
public record CaseTask(String instanceId, String repo, String problemStatement) {
  public CaseTask {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(problemStatement, "problemStatement");
    repo = repo == null ? "" : repo;
  }
}
