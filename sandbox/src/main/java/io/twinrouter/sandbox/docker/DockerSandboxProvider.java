package io.twinrouter.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.twinrouter.sandbox.Limits;
import io.twinrouter.sandbox.PullListener;
import io.twinrouter.sandbox.Sandbox;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.SandboxSpec;
import io.twinrouter.sandbox.SandboxUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker sandboxes through docker-java: one shared engine client over the unix socket (httpclient5
 * transport), one container per case kept alive by {@code sleep infinity}, every action an exec.
 * Containers get {@code --network none}, the configured memory/CPU/pids limits, every capability
 * dropped, {@code no-new-privileges}, and the labels {@link #LABEL_RUN} and {@link #LABEL_CASE} by
 * which {@link #reap} finds leftovers. Containers of the images this project makes (the base image
 * and task images FROM it) also get a read-only root with {@link #WRITABLE} as volumes (see
 * docs/security.md for why SWE-bench images keep a writable root).
 */
public final class DockerSandboxProvider implements SandboxProvider {
  private static final Logger log = LoggerFactory.getLogger(DockerSandboxProvider.class);

  public static final String LABEL_SANDBOX = "twinrouter.sandbox";
  public static final String LABEL_RUN = "twinrouter.run";
  public static final String LABEL_CASE = "twinrouter.case";

  /**
   * The writable folders of a read-only container, anonymous volumes filled from the image: the
   * repository, scratch, and HOME (git's global config, pip's cache).
   */
  static final List<String> WRITABLE = List.of(SandboxSpec.TESTBED, "/tmp", "/root");

  private final DockerClient client;
  /** For the exec servers' streams: each holds a connection as long as its sandbox lives. */
  private final DockerClient streamClient;
  private final SandboxSettings settings;
  private final TaskImages taskImages;
  private final Set<DockerSandbox> open = ConcurrentHashMap.newKeySet();
  /** twinrouter.sandbox.docker.cap-add: added back after dropping all. */
  private final Capability[] capAdd;

  /** Connections for exec-server streams: one per open sandbox, idle most of the time. */
  private static final int STREAM_CONNECTIONS = 4096;

  private DockerSandboxProvider(DockerClient client, DockerClient streamClient, SandboxSettings settings) {
    this.client = client;
    this.streamClient = streamClient;
    this.settings = settings;
    this.taskImages = new TaskImages(client, settings);
    this.capAdd = settings.dockerCapAdd().stream().map(DockerSandboxProvider::capability).toArray(Capability[]::new);
  }

  private static Capability capability(String name) {
    try {
      return Capability.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new io.twinrouter.config.SettingsException(
          "configuration: twinrouter.sandbox.docker.cap-add: no capability named '" + name + "'");
    }
  }

  /** Connects to the engine and pings it; a clear error when none answers. */
  public static DockerSandboxProvider connect(SandboxSettings settings) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(settings.dockerHost())
            .build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(settings.dockerMaxConnections())
            .connectionTimeout(settings.dockerConnectTimeout())
            .responseTimeout(settings.dockerResponseTimeout())
            .build();
    DockerClient client = DockerClientImpl.getInstance(config, http);
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw new SandboxUnavailableException(
          "no Docker engine answers at "
              + settings.dockerHost()
              + " ("
              + rootMessage(e)
              + "): start one (scripts/prepare-test-env does) or use the local sandbox",
          e);
    }
    // a stream stays silent while the agent thinks or a command runs: no response timeout
    ApacheDockerHttpClient streamHttp =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(STREAM_CONNECTIONS)
            .connectionTimeout(settings.dockerConnectTimeout())
            .responseTimeout(java.time.Duration.ZERO)
            .build();
    return new DockerSandboxProvider(client, DockerClientImpl.getInstance(config, streamHttp), settings);
  }

  @Override
  public String backend() {
    return "docker";
  }

  public SandboxSettings settings() {
    return settings;
  }

  @Override
  public Sandbox open(SandboxSpec spec) {
    String image = imageFor(spec);
    Limits limits = spec.limits() == null ? settings.limits() : spec.limits();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_SANDBOX, "true");
    labels.put(LABEL_RUN, spec.runId());
    labels.put(LABEL_CASE, spec.caseId());
    // root owns every file the commands touch, so no capability is needed (docs/security.md)
    boolean readOnlyRoot = spec.image() == null;
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(spec.network())
            .withSecurityOpts(List.of("no-new-privileges"))
            .withCapDrop(Capability.ALL)
            .withCapAdd(capAdd)
            .withReadonlyRootfs(readOnlyRoot)
            .withPrivileged(false);
    if (limits.memoryBytes() > 0) {
      host.withMemory(limits.memoryBytes()).withMemorySwap(limits.memoryBytes());
    }
    if (limits.nanoCpus() > 0) {
      host.withNanoCPUs(limits.nanoCpus());
    }
    if (limits.pids() > 0) {
      host.withPidsLimit(limits.pids());
    }
    List<String> env = new ArrayList<>();
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    String name = containerName(spec);
    CreateContainerResponse created;
    try {
      created =
          client
              .createContainerCmd(image)
              .withName(name)
              .withLabels(labels)
              .withUser("root")
              .withEntrypoint("sleep", "infinity")
              .withWorkingDir(spec.workdir())
              .withEnv(env)
              .withVolumes(readOnlyRoot ? WRITABLE.stream().map(Volume::new).toList() : List.of())
              .withHostConfig(host)
              .exec();
    } catch (DockerException e) {
      throw new SandboxException("creating a container from " + image + ": " + rootMessage(e), e);
    }
    DockerSandbox sandbox =
        new DockerSandbox(
            client, streamClient, created.getId(), spec, limits,
            spec.outputLimitBytes() > 0 ? spec.outputLimitBytes() : settings.outputLimitBytes(),
            open::remove);
    open.add(sandbox);
    try {
      client.startContainerCmd(created.getId()).exec();
    } catch (RuntimeException e) {
      sandbox.close();
      throw new SandboxException("starting container " + name + " (" + image + "): " + rootMessage(e), e);
    }
    if (settings.dockerExecServer()) {
      sandbox.startServer();
    }
    return sandbox;
  }

  /** The image to start: a task image built from the repo source, or the given or base image. */
  String imageFor(SandboxSpec spec) {
    if (spec.repoSource() != null) {
      String from = spec.image() == null ? settings.baseImage() : spec.image();
      ensureImage(from);
      return taskImages.ensure(from, spec.repoSource());
    }
    String image = spec.image() == null ? settings.baseImage() : spec.image();
    ensureImage(image);
    return image;
  }

  /** Makes sure an image is present: pulled when missing (if allowed), else a clear error. */
  public void ensureImage(String image) {
    ensureImage(image, PullListener.NONE);
  }

  /**
   * The same, telling {@code listener} how a pull goes; a pull whose layers turn out larger than
   * the engine's free disk is stopped with a clear error.
   */
  public void ensureImage(String image, PullListener listener) {
    if (imagePresent(image)) {
      return;
    }
    if (image.equals(settings.baseImage())) {
      throw new SandboxUnavailableException(
          "the sandbox base image " + image + " is missing: build it with "
              + "./twinrouter images build-base (or scripts/build-base-image)");
    }
    if (!settings.pullMissing()) {
      throw new SandboxUnavailableException(
          "image " + image + " is not present locally (pulling is off: twinrouter.sandbox.pull-missing)");
    }
    log.info("pulling {}", image);
    try {
      PullProgress progress = new PullProgress(image, listener, engineFreeBytes());
      boolean done =
          client
              .pullImageCmd(image)
              .exec(progress)
              .awaitCompletion(settings.pullTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (progress.refusal().isPresent()) {
        throw new SandboxUnavailableException(progress.refusal().get());
      }
      if (!done) {
        throw new SandboxUnavailableException("image " + image + " could not be pulled within "
            + settings.pullTimeout() + " (twinrouter.sandbox.pull-timeout)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted while pulling " + image, e);
    } catch (RuntimeException e) {
      if (e instanceof SandboxException se) {
        throw se;
      }
      throw new SandboxUnavailableException(
          "image " + image + " is not present locally and could not be pulled: " + rootMessage(e), e);
    }
    if (!imagePresent(image)) {
      throw new SandboxUnavailableException("image " + image + " is still missing after the pull");
    }
  }

  /**
   * Usable bytes on the disk where the engine keeps images, when the engine runs on this machine
   * (a unix socket); -1 when that cannot be known from here.
   */
  public long engineFreeBytes() {
    if (!settings.dockerHost().startsWith("unix://")) {
      return -1;
    }
    try {
      String root = client.infoCmd().exec().getDockerRootDir();
      return root == null ? -1 : java.nio.file.Files.getFileStore(java.nio.file.Path.of(root))
          .getUsableSpace();
    } catch (RuntimeException | java.io.IOException e) {
      return -1;
    }
  }

  public boolean imagePresent(String image) {
    try {
      client.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** Makes (or finds) the task image of a repo source FROM {@code from}; returns its tag. */
  public String taskImage(String from, io.twinrouter.sandbox.RepoSource source) {
    ensureImage(from);
    return taskImages.ensure(from, source);
  }

  /** As {@link #taskImage(String, io.twinrouter.sandbox.RepoSource)} with a given method (commit or build). */
  public String taskImage(String from, io.twinrouter.sandbox.RepoSource source, String method) {
    ensureImage(from);
    return taskImages.ensure(from, source, method);
  }

  /** Removes an image (a task image no longer wanted); false when it was not there. */
  public boolean removeImage(String image) {
    try {
      client.removeImageCmd(image).withForce(true).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public int reap(String runId) {
    Map<String, String> filter =
        runId == null ? Map.of(LABEL_SANDBOX, "true") : Map.of(LABEL_RUN, runId);
    List<Container> leftovers =
        client.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec();
    int removed = 0;
    for (Container c : leftovers) {
      try {
        client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        removed++;
      } catch (NotFoundException e) {
        // removed meanwhile by its owner
      } catch (ConflictException e) {
        // 409 "removal already in progress": its owner's close() got there first
        log.debug("container {} is already being removed", c.getId());
      }
    }
    return removed;
  }

  /** Ids of the containers labelled with {@code runId} (null: all twinrouter sandboxes). */
  public List<String> containerIds(String runId) {
    Map<String, String> filter =
        runId == null ? Map.of(LABEL_SANDBOX, "true") : Map.of(LABEL_RUN, runId);
    return client.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec().stream()
        .map(Container::getId)
        .toList();
  }

  /** Whether a sandbox of this provider currently runs its commands on its exec server. */
  public static boolean execServerActive(Sandbox sandbox) {
    return sandbox instanceof DockerSandbox d && d.serverActive();
  }

  /** Closes the sandboxes still open, then the engine client. */
  @Override
  public void close() {
    for (DockerSandbox s : List.copyOf(open)) {
      s.close();
    }
    closeQuietly(client);
    closeQuietly(streamClient);
  }

  private static String containerName(SandboxSpec spec) {
    String raw = "twinrouter." + spec.caseId() + "." + spec.runId();
    String clean = raw.replaceAll("[^a-zA-Z0-9_.-]", "_");
    if (clean.length() > 180) {
      clean = clean.substring(0, 180);
    }
    return clean + "." + UUID.randomUUID().toString().substring(0, 8);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.strip();
  }

  private static void closeQuietly(DockerClient client) {
    try {
      client.close();
    } catch (IOException e) {
      log.debug("closing the Docker client", e);
    }
  }
}
