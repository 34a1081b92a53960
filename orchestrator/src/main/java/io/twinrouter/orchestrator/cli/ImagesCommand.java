package io.twinrouter.orchestrator.cli;

import io.twinrouter.console.InputException;
import io.twinrouter.sandbox.BaseImage;
import io.twinrouter.sandbox.RepoSource;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.docker.DockerSandboxProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Sandbox images: the registry-free base image and task images built from a repository. */
@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    description = "Builds, pulls and prunes the sandbox images (Docker).",
    subcommands = {ImagesCommand.BuildBase.class, ImagesCommand.BuildTask.class,
        TaskImagesCommands.Pull.class, TaskImagesCommands.Prune.class})
public final class ImagesCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  @Command(
      name = "build-base",
      mixinStandardHelpOptions = true,
      description = {
        "Builds the sandbox base image without any registry (debootstrap, docker import).",
        "A Debian rootfs made by debootstrap",
        "(minbase + python3, python3-pytest, git, patch) from the mirror of this machine's apt",
        "sources, imported into Docker and tagged. Reused when present; the rootfs tarball is",
        "cached under /var/cache/twinrouter. Needs root, debootstrap and a running Docker engine.",
        "With --rootfs: unpacks that rootfs as the local sandbox's root",
        "(twinrouter.sandbox.local.rootfs) instead; no Docker engine needed."
      })
  static final class BuildBase implements Callable<Integer> {
    @Option(names = "--tag", description = "Image tag (default: twinrouter.sandbox.base-image).")
    String tag;

    @Option(names = "--force", description = "Rebuild even when the tag or the cached rootfs exists.")
    boolean force;

    @Option(names = "--rootfs", description = "Unpack the local sandbox's root filesystem instead of importing an image.")
    boolean rootfs;

    @Override
    public Integer call() {
      if (rootfs) {
        java.nio.file.Path target = SandboxSettings.load().localRootfs();
        if (BaseImage.buildRootfs(target, force) != 0) {
          throw new InputException("unpacking the local sandbox's rootfs into " + target + " failed; see the messages above");
        }
        System.out.println(target);
        return 0;
      }
      String t = tag == null ? SandboxSettings.load().baseImage() : tag;
      int status = BaseImage.build(t, force);
      if (status != 0) {
        throw new InputException("building the base image " + t + " failed (exit " + status + "); see the messages above");
      }
      System.out.println(t);
      return 0;
    }
  }

  @Command(
      name = "build-task",
      mixinStandardHelpOptions = true,
      description = {
        "Makes (or finds) the task image of a repository and prints its tag.",
        "The base image with the repo in /testbed at the base commit (method:",
        "twinrouter.sandbox.task-image-method)."
      })
  static final class BuildTask implements Callable<Integer> {
    @Option(names = "--repo", required = true, description = "A git bundle file or a folder.")
    Path repo;

    @Option(names = "--commit", description = "Base commit to check out (required for a bundle).")
    String commit;

    @Option(names = "--from", description = "Image to build FROM (default: the base image).")
    String from;

    @Override
    public Integer call() {
      if (!Files.exists(repo)) {
        throw new InputException("--repo " + repo + ": no such file or folder");
      }
      if (Files.isRegularFile(repo) && commit == null) {
        throw new InputException("--repo " + repo + " is a git bundle: --commit is required");
      }
      SandboxSettings settings = SandboxSettings.load();
      try (DockerSandboxProvider docker = DockerSandboxProvider.connect(settings)) {
        long start = System.nanoTime();
        String tag;
        try {
          tag = docker.taskImage(from == null ? settings.baseImage() : from, new RepoSource(repo, commit));
        } catch (io.twinrouter.sandbox.SandboxException e) { // a commit not in the bundle, a broken repo
          throw new InputException(e.getMessage(), e);
        }
        System.err.printf("task image ready in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        System.out.println(tag);
      }
      return 0;
    }
  }
}
