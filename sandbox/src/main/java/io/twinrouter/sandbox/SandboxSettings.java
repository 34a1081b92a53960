package io.twinrouter.sandbox;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The {@code twinrouter.sandbox} section of the configuration. */
public record SandboxSettings(
    String backend,
    Limits limits,
    String imageNamespace,
    String imageTemplate,
    String imageArch,
    boolean pullMissing,
    String baseImage,
    String taskImageMethod,
    int outputLimitBytes,
    Duration startTimeout,
    Duration pullTimeout,
    String dockerHost,
    Duration dockerConnectTimeout,
    Duration dockerResponseTimeout,
    int dockerMaxConnections,
    Path localWorkRoot,
    String bwrap,
    boolean dockerExecServer,
    Path localRootfs,
    List<String> dockerCapAdd,
    GradingSandbox grading) {

  public SandboxSettings {
    if (backend.equals("local") && !grading.networkDisabled()) {
      throw new SettingsException("configuration: twinrouter.sandbox.grading.network = "
          + grading.network() + " needs the docker sandbox; the local sandbox has no network");
    }
  }

  /** Config path of the dispatcher for blocking sandbox calls. */
  public static final String DISPATCHER = "twinrouter.sandbox.dispatcher";

  public static SandboxSettings load() {
    return from(ConfigFactory.load());
  }

  /** Reads {@code twinrouter.sandbox} from a root configuration. */
  public static SandboxSettings from(Config root) {
    try {
      Config c = root.getConfig("twinrouter.sandbox");
      String backend = c.getString("backend");
      if (!backend.equals("docker") && !backend.equals("local")) {
        throw new SettingsException(
            "configuration: twinrouter.sandbox.backend must be docker or local, not '" + backend + "'");
      }
      double cpus = c.getDouble("limits.cpus");
      Limits limits =
          new Limits(
              c.getBytes("limits.memory"), Math.round(cpus * 1_000_000_000d), c.getLong("limits.pids"));
      String workRoot = c.getString("local.work-root");
      long outputLimit = c.getBytes("output-limit");
      String method = c.getString("task-image-method");
      if (!method.equals("commit") && !method.equals("build")) {
        throw new SettingsException(
            "configuration: twinrouter.sandbox.task-image-method must be commit or build, not '" + method + "'");
      }
      if (outputLimit < 1024 || outputLimit > Integer.MAX_VALUE / 2) {
        throw new SettingsException(
            "configuration: twinrouter.sandbox.output-limit must be between 1KiB and 1GiB");
      }
      return new SandboxSettings(
          backend,
          limits,
          c.getString("image-namespace"),
          c.getString("image-template"),
          c.getString("image-arch"),
          c.getBoolean("pull-missing"),
          c.getString("base-image"),
          method,
          (int) outputLimit,
          c.getDuration("start-timeout"),
          c.getDuration("pull-timeout"),
          c.getString("docker.host"),
          c.getDuration("docker.connect-timeout"),
          c.getDuration("docker.response-timeout"),
          c.getInt("docker.max-connections"),
          workRoot.isEmpty()
              ? Path.of(System.getProperty("java.io.tmpdir"), "twinrouter-sandboxes")
              : Path.of(workRoot),
          c.getString("local.bwrap"),
          c.getBoolean("docker.exec-server"),
          Path.of(c.getString("local.rootfs")),
          capabilities(c.getStringList("docker.cap-add")),
          GradingSandbox.from(c));
    } catch (ConfigException | IllegalArgumentException e) {
      throw new SettingsException("configuration: " + e.getMessage(), e);
    }
  }

  /** Capability names as Docker spells them (CHOWN, DAC_OVERRIDE, ...), checked here. */
  private static List<String> capabilities(List<String> names) {
    for (String n : names) {
      if (!n.matches("[A-Z_]{2,32}") || n.equals("ALL")) {
        throw new SettingsException("configuration: twinrouter.sandbox.docker.cap-add: '" + n
            + "' is not a capability name (upper case, as docker run --cap-add takes it; ALL is refused)");
      }
    }
    return List.copyOf(names);
  }

  public SandboxSettings withBackend(String b) {
    return new SandboxSettings(
        b, limits, imageNamespace, imageTemplate, imageArch, pullMissing, baseImage, taskImageMethod, outputLimitBytes,
        startTimeout, pullTimeout, dockerHost, dockerConnectTimeout, dockerResponseTimeout,
        dockerMaxConnections, localWorkRoot, bwrap, dockerExecServer, localRootfs, dockerCapAdd, grading);
  }

  public SandboxSettings withOutputLimitBytes(int bytes) {
    return new SandboxSettings(
        backend, limits, imageNamespace, imageTemplate, imageArch, pullMissing, baseImage, taskImageMethod, bytes,
        startTimeout, pullTimeout, dockerHost, dockerConnectTimeout, dockerResponseTimeout,
        dockerMaxConnections, localWorkRoot, bwrap, dockerExecServer, localRootfs, dockerCapAdd, grading);
  }

  public SandboxSettings withPullMissing(boolean pull) {
    return new SandboxSettings(
        backend, limits, imageNamespace, imageTemplate, imageArch, pull, baseImage, taskImageMethod, outputLimitBytes,
        startTimeout, pullTimeout, dockerHost, dockerConnectTimeout, dockerResponseTimeout,
        dockerMaxConnections, localWorkRoot, bwrap, dockerExecServer, localRootfs, dockerCapAdd, grading);
  }

  /** With the Docker exec server on or off (off: every exec is an engine exec of its own). */
  public SandboxSettings withDockerExecServer(boolean on) {
    return new SandboxSettings(
        backend, limits, imageNamespace, imageTemplate, imageArch, pullMissing, baseImage, taskImageMethod, outputLimitBytes,
        startTimeout, pullTimeout, dockerHost, dockerConnectTimeout, dockerResponseTimeout,
        dockerMaxConnections, localWorkRoot, bwrap, on, localRootfs, dockerCapAdd, grading);
  }

  /** With the image naming of the command line ({@code --image-namespace}, ...); null keeps one. */
  public SandboxSettings withImageNaming(String namespace, String template, String arch) {
    return new SandboxSettings(
        backend, limits, namespace == null ? imageNamespace : namespace,
        template == null ? imageTemplate : template, arch == null ? imageArch : arch, pullMissing,
        baseImage, taskImageMethod, outputLimitBytes, startTimeout, pullTimeout, dockerHost,
        dockerConnectTimeout, dockerResponseTimeout, dockerMaxConnections, localWorkRoot, bwrap,
        dockerExecServer, localRootfs, dockerCapAdd, grading);
  }
}
