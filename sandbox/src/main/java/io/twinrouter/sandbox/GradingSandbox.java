package io.twinrouter.sandbox;

import com.typesafe.config.Config;

/**
 * How the sandbox a patch is graded in differs from the agent's: its network, its limits and its
 * output cap ({@code twinrouter.sandbox.grading}). The defaults keep the agent sandbox's safety;
 * SWE-bench's harness grades with the network on and no limits.
 *
 * @param network {@code none} or a Docker network mode
 * @param limits 0 in a field means no limit
 * @param outputLimitBytes per stream and exec
 */
public record GradingSandbox(String network, Limits limits, int outputLimitBytes) {

  public GradingSandbox {
    if (!network.matches("[a-z0-9][a-z0-9_.-]*")) {
      throw new IllegalArgumentException(
          "twinrouter.sandbox.grading.network must be none or a Docker network mode, not '"
              + network + "'");
    }
  }

  static GradingSandbox from(Config sandbox) {
    Config g = sandbox.getConfig("grading");
    long output = g.getBytes("output-limit");
    if (output < 1024 || output > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(
          "twinrouter.sandbox.grading.output-limit must be between 1KiB and 1GiB");
    }
    return new GradingSandbox(g.getString("network"), new Limits(g.getBytes("limits.memory"),
        Math.round(g.getDouble("limits.cpus") * 1_000_000_000d), g.getLong("limits.pids")),
        (int) output);
  }

  /** The grading spec made from the agent's: this network, these limits, this output cap. */
  public SandboxSpec apply(SandboxSpec spec) {
    return spec.withNetwork(network).withLimits(limits).withOutputLimit(outputLimitBytes);
  }

  public boolean networkDisabled() {
    return SandboxSpec.NO_NETWORK.equals(network);
  }
}
