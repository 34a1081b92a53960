package io.twinrouter.agent.tasks;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One task in the SWE-bench instance format: every field of the official dataset, plus the
 * extras of twinrouter's own suite ({@code difficulty}, {@code repo_source}, {@code test_cmd},
 * {@code log_parser}), which official rows do not have.
 *
 * <p>FAIL_TO_PASS and PASS_TO_PASS are decoded into lists; the JSON-encoded strings exactly as the
 * file had them are kept too ({@link #failToPassJson()}, {@link #passToPassJson()}) so that output
 * can reproduce the dataset faithfully.
 *
 * @param environmentSetupCommit as the row gives it, empty when it has none (it only matters for
 *     building an environment image, which twinrouter never does)
 * @param repoSource absolute path of a git bundle or repository folder to materialise /testbed
 *     from, or empty when the sandbox image already has the repository (official rows)
 * @param testCmd the command that runs the tests in /testbed, empty for official rows; read from
 *     {@code test_cmd}, else from {@code install_config.test_cmd} (a list is joined with &&)
 * @param logParser the name of the test-log parser to grade with, empty for official rows
 * @param image the row's own image ({@code image}, {@code image_name} or {@code docker_image}, as
 *     SWE-bench v5, SWE-smith and SWE-rebench-style sets name it), else empty: the image is then
 *     named by SWE-bench's rules from the instance id
 * @param evalScript the row's own eval script ({@code eval_script}, SWE-bench v5 rows), run as
 *     given to grade, else empty
 * @param location where the row was read, for messages: {@code file:line}
 */
public record TaskInstance(
    String instanceId,
    String repo,
    String baseCommit,
    String patch,
    String testPatch,
    String problemStatement,
    String hintsText,
    String createdAt,
    String version,
    List<String> failToPass,
    List<String> passToPass,
    String failToPassJson,
    String passToPassJson,
    String environmentSetupCommit,
    Optional<Difficulty> difficulty,
    Optional<Path> repoSource,
    Optional<String> testCmd,
    Optional<String> logParser,
    Optional<String> image,
    Optional<String> evalScript,
    String location) {

  public TaskInstance {
    failToPass = List.copyOf(failToPass);
    passToPass = List.copyOf(passToPass);
  }
}
