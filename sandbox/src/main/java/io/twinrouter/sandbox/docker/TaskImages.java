package io.twinrouter.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import io.twinrouter.sandbox.ExecResult;
import io.twinrouter.sandbox.Limits;
import io.twinrouter.sandbox.RepoSource;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.SandboxSpec;
import io.twinrouter.sandbox.Tars;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task images for tasks that ship their own repository: the base image plus the repo cloned from
 * its bundle (or copied from its folder) into {@code /testbed} and checked out at the base commit.
 * Tagged by a hash of (source content, base commit, base image, method), so an image is made once
 * and reused. Only the base commit is reachable in the image's {@code /testbed} ({@link
 * RepoSource#checkoutScript}). Two methods (twinrouter.sandbox.task-image-method, compared by {@code bench sandbox}):
 * {@code commit} starts a container without network, copies the source in, checks it out and
 * commits the container; {@code build} runs the engine's legacy builder (no network) on a context
 * holding a Dockerfile and the source.
 */
final class TaskImages {
  private static final Logger log = LoggerFactory.getLogger(TaskImages.class);
  static final String REPOSITORY = "twinrouter/task";
  static final String LABEL = "twinrouter.task-image";
  /** Where a bundle is copied for the clone, and removed after. */
  private static final String BUNDLE = "/tmp/repo.bundle";

  private final DockerClient client;
  private final SandboxSettings settings;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  TaskImages(DockerClient client, SandboxSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  String ensure(String from, RepoSource source) {
    return ensure(from, source, settings.taskImageMethod());
  }

  String ensure(String from, RepoSource source, String method) {
    source.check();
    // the checkout script is part of the key: an image made by an older script is not reused
    String tag = REPOSITORY + ":" + key(from + "\n" + method + "\n" + source.checkoutScript(BUNDLE), source);
    synchronized (locks.computeIfAbsent(tag, t -> new Object())) {
      if (present(tag)) {
        return tag;
      }
      long start = System.nanoTime();
      if (method.equals("build")) {
        build(from, source, tag);
      } else {
        commit(from, source, tag);
      }
      log.info("built {} from {} in {} ms", tag, source.path(), (System.nanoTime() - start) / 1_000_000);
      return tag;
    }
  }

  private boolean present(String tag) {
    try {
      client.inspectImageCmd(tag).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private void build(String from, RepoSource source, String tag) {
    Path context = null;
    try {
      context = Files.createTempFile("twinrouter-build-", ".tar");
      try (OutputStream out = Files.newOutputStream(context);
          TarArchiveOutputStream tar = Tars.writer(out)) {
        Tars.addBytes(tar, "Dockerfile", dockerfile(from, source).getBytes(StandardCharsets.UTF_8));
        Tars.addBytes(tar, "checkout.sh", source.checkoutScript(BUNDLE).getBytes(StandardCharsets.UTF_8));
        Tars.addPath(tar, source.path(), source.isBundle() ? "repo.bundle" : "repo");
      }
      try (InputStream in = Files.newInputStream(context)) {
        client
            .buildImageCmd()
            .withTarInputStream(in)
            .withTags(Set.of(tag))
            .withNetworkMode("none")
            .withPull(false)
            .withRemove(true)
            .withForcerm(true)
            .withLabels(Map.of(LABEL, "true"))
            .exec(new BuildImageResultCallback())
            .awaitImageId(settings.startTimeout().toSeconds(), TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      throw new SandboxException("building the task image of " + source.path() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new SandboxException(
          "building the task image of " + source.path() + " at " + source.baseCommit() + " FROM " + from
              + ": " + DockerSandboxProvider.rootMessage(e), e);
    } finally {
      if (context != null) {
        try {
          Files.deleteIfExists(context);
        } catch (IOException ignored) {
          // a temp file; the OS cleans it
        }
      }
    }
  }

  private void commit(String from, RepoSource source, String tag) {
    String key = tag.substring(tag.indexOf(':') + 1);
    SandboxSpec spec = new SandboxSpec(from, null, "/", Map.of(), null, SandboxSpec.NO_NETWORK, "task-image", key,
        null, 0);
    String id;
    try {
      id =
        client
            .createContainerCmd(from)
            .withEntrypoint("sleep", "infinity")
            .withUser("root")
            .withWorkingDir("/")
            .withLabels(Map.of(DockerSandboxProvider.LABEL_SANDBOX, "true",
                DockerSandboxProvider.LABEL_RUN, "task-image", DockerSandboxProvider.LABEL_CASE, key))
            .withHostConfig(HostConfig.newHostConfig().withNetworkMode(SandboxSpec.NO_NETWORK))
            .exec()
            .getId();
    } catch (RuntimeException e) {
      throw new SandboxException("creating the container that makes the task image of " + source.path()
          + " FROM " + from + ": " + DockerSandboxProvider.rootMessage(e), e);
    }
    // no exec server: this container is committed into an image, which must not keep its files
    try (DockerSandbox box = new DockerSandbox(client, client, id, spec, Limits.none(), 64 * 1024, b -> {})) {
      client.startContainerCmd(id).exec();
      String script;
      if (source.isBundle()) {
        box.copyIn(source.path(), BUNDLE);
        script = source.checkoutScript(BUNDLE) + "rm " + BUNDLE + "\n";
      } else {
        box.exec("rm -rf /testbed", settings.startTimeout());
        box.copyIn(source.path(), "/testbed");
        script = source.checkoutScript(BUNDLE);
      }
      ExecResult r = box.exec(script, settings.startTimeout());
      if (r.exitCode() != 0) {
        throw new SandboxException("checking out " + source.path() + " at " + source.baseCommit()
            + " (exit " + r.exitCode() + "): " + r.stderr().strip());
      }
      client
          .commitCmd(id)
          .withRepository(REPOSITORY)
          .withTag(key)
          .withWorkingDir("/testbed")
          .withLabels(Map.of(LABEL, "true"))
          .exec();
    } catch (RuntimeException e) {
      if (e instanceof SandboxException se) {
        throw se;
      }
      throw new SandboxException("making the task image of " + source.path() + " FROM " + from + ": "
          + DockerSandboxProvider.rootMessage(e), e);
    }
  }

  static String dockerfile(String from, RepoSource source) {
    StringBuilder df = new StringBuilder("FROM ").append(from).append('\n');
    if (source.isBundle()) {
      df.append("COPY repo.bundle ").append(BUNDLE).append('\n');
    } else {
      df.append("COPY repo /testbed\n");
    }
    // the copied bundle stays in its layer, out of sight from inside the container
    return df.append("COPY checkout.sh /tmp/checkout.sh\n")
        .append("RUN bash /tmp/checkout.sh && rm -f /tmp/checkout.sh ").append(BUNDLE).append('\n')
        .append("WORKDIR /testbed\n")
        .toString();
  }

  /** A stable key of (source content, base commit, base image). */
  static String key(String from, RepoSource source) {
    // from carries the base image and the method
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((from + "\n" + source.baseCommit() + "\n").getBytes(StandardCharsets.UTF_8));
      Path root = source.path();
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.sorted().toList()) {
          sha.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0);
          if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            try (InputStream in = Files.newInputStream(p)) {
              byte[] buf = new byte[1 << 16];
              int n;
              while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
              }
            }
          }
        }
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 24);
    } catch (IOException e) {
      throw new SandboxException("reading repo source " + source.path() + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
