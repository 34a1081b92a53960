package io.twinrouter.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to start. Exactly one of {@code image} (a Docker image name; ignored by the local sandbox)
 * and {@code repoSource} is usually given; with both, the Docker sandbox builds the repo into a
 * task image FROM {@code image}. With neither, the Docker sandbox starts the base image with an
 * empty {@code /testbed}.
 *
 * @param workdir the working directory of every exec, {@code /testbed}
 * @param env extra environment variables of every exec
 * @param limits resource limits; null for the configured defaults
 * @param network {@code none} (the default: only loopback) or a Docker network mode the caller
 *     explicitly wants
 * @param runId label {@code twinrouter.run}: the reaper removes a run's leftovers by it
 * @param caseId label {@code twinrouter.case}
 * @param shell the shell of every exec; null for {@code bash -lc}
 * @param outputLimitBytes per stream and exec; 0 for the provider's configured one
 */
public record SandboxSpec(
    String image,
    RepoSource repoSource,
    String workdir,
    Map<String, String> env,
    Limits limits,
    String network,
    String runId,
    String caseId,
    ExecShell shell,
    int outputLimitBytes) {

  public static final String TESTBED = "/testbed";
  public static final String NO_NETWORK = "none";

  public SandboxSpec {
    workdir = workdir == null ? TESTBED : workdir;
    env = env == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(env));
    network = network == null ? NO_NETWORK : network;
    shell = shell == null ? ExecShell.BASH_LC : shell;
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(caseId, "caseId");
    if (!workdir.startsWith("/")) {
      throw new IllegalArgumentException("sandbox workdir must be absolute: " + workdir);
    }
    for (String k : env.keySet()) {
      if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("sandbox env: bad variable name '" + k + "'");
      }
    }
  }

  /** The base image (or the image given later) with an empty {@code /testbed}. */
  public static SandboxSpec of(String runId, String caseId) {
    return new SandboxSpec(null, null, TESTBED, Map.of(), null, NO_NETWORK, runId, caseId, null, 0);
  }

  public SandboxSpec withImage(String image) {
    return new SandboxSpec(image, repoSource, workdir, env, limits, network, runId, caseId, shell, outputLimitBytes);
  }

  public SandboxSpec withRepoSource(RepoSource source) {
    return new SandboxSpec(image, source, workdir, env, limits, network, runId, caseId, shell, outputLimitBytes);
  }

  public SandboxSpec withEnv(Map<String, String> vars) {
    return new SandboxSpec(image, repoSource, workdir, vars, limits, network, runId, caseId, shell, outputLimitBytes);
  }

  public SandboxSpec withLimits(Limits l) {
    return new SandboxSpec(image, repoSource, workdir, env, l, network, runId, caseId, shell, outputLimitBytes);
  }

  public SandboxSpec withNetwork(String mode) {
    return new SandboxSpec(image, repoSource, workdir, env, limits, mode, runId, caseId, shell, outputLimitBytes);
  }

  public SandboxSpec withShell(ExecShell s) {
    return new SandboxSpec(image, repoSource, workdir, env, limits, network, runId, caseId, s, outputLimitBytes);
  }

  public SandboxSpec withOutputLimit(int bytes) {
    return new SandboxSpec(image, repoSource, workdir, env, limits, network, runId, caseId, shell,
        bytes);
  }

  public boolean networkDisabled() {
    return NO_NETWORK.equals(network);
  }
}
