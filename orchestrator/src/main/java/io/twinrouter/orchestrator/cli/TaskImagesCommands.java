package io.twinrouter.orchestrator.cli;

import io.twinrouter.agent.casework.SandboxCases;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.console.ProgressBar;
import io.twinrouter.sandbox.PullListener;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.docker.DockerSandboxProvider;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code images pull} and {@code images prune} over a task file: the instance images a run of
 * those rows will start, named as the run names them (a row's own image, else SWE-bench's rules
 * with the same {@code --image-*} options). Rows with a repository source have none: their image
 * is built from the base image when a case starts.
 */
final class TaskImagesCommands {
  private TaskImagesCommands() {}

  /** The distinct instance images of the rows of {@code tasks}, in row order. */
  static List<String> images(String tasks, SandboxSettings sandbox) {
    List<TaskInstance> rows;
    try {
      rows = TaskSuite.open(tasks, Files.createTempDirectory("twinrouter-images"));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new InputException(e.getMessage(), e);
    }
    Set<String> names = new LinkedHashSet<>();
    for (TaskInstance t : rows) {
      if (t.repoSource().isEmpty()) {
        names.add(SandboxCases.spec("images", t, java.util.Map.of(), sandbox).image());
      }
    }
    return List.copyOf(names);
  }

  static SandboxSettings sandbox(ImageOptions images) {
    return SandboxSettings.from(images.apply(TwinrouterSettings.load()).raw()).withBackend("docker");
  }

  @Command(name = "pull", mixinStandardHelpOptions = true,
      description = {"Pulls the instance images a run of the task file needs, ahead of the run.",
        "Prints present/pulled/FAILED per image; exit 0 when every image is there after."})
  static final class Pull implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--tasks", required = true, paramLabel = "FILE", description = "Task file.")
    String tasks;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
        description = "Pulls at once (default 2).")
    int workers;

    @CommandLine.Mixin ImageOptions images = new ImageOptions();

    @Override
    public Integer call() throws Exception {
      if (workers < 1) {
        throw new InputException("--workers must be at least 1, got " + workers);
      }
      SandboxSettings settings = sandbox(images);
      List<String> names = images(tasks, settings);
      try (DockerSandboxProvider docker = DockerSandboxProvider.connect(settings)) {
        List<String> missing = names.stream().filter(n -> !docker.imagePresent(n)).toList();
        // a registry tells an image's size only to a pull: what is known up front is the count
        // and the engine's free disk; a pull whose layers outgrow it is stopped and named
        long free = docker.engineFreeBytes();
        System.err.printf("%d instance images, %d present, %d to pull (pull timeout %s each)%s%n",
            names.size(), names.size() - missing.size(), missing.size(), settings.pullTimeout(),
            free < 0 ? "" : "; the engine's disk has " + (free >> 20) + " MiB free");
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        int failed = 0;
        try (PullBar bar = new PullBar(missing.isEmpty())) {
          List<Future<String>> lines = new ArrayList<>();
          for (String n : names) {
            lines.add(pool.submit(() -> pull(docker, n, missing.contains(n), bar)));
          }
          for (Future<String> f : lines) {
            String line = f.get();
            System.out.println(line);
            failed += line.startsWith("FAILED") ? 1 : 0;
          }
        } finally {
          pool.shutdownNow();
        }
        return failed == 0 ? 0 : 1;
      }
    }

    private static String pull(DockerSandboxProvider docker, String name, boolean missing,
        PullListener listener) {
      if (!missing) {
        return "present " + name;
      }
      try {
        docker.ensureImage(name, listener);
        return "pulled  " + name;
      } catch (SandboxException e) {
        return "FAILED  " + name + ": " + e.getMessage();
      }
    }
  }

  /**
   * The bytes of every running pull on one progress bar (MiB), its total growing as the engine
   * tells each layer's size.
   */
  static final class PullBar implements PullListener, AutoCloseable {
    private final Map<String, long[]> byImage = new HashMap<>();
    private final ProgressBar bar;

    PullBar(boolean nothingToPull) {
      this.bar = nothingToPull ? null : new ProgressBar("pulling (MiB)", 0);
    }

    @Override
    public void progress(String image, long downloadedBytes, long knownTotalBytes) {
      if (bar == null) {
        return;
      }
      long done;
      long total;
      int images;
      synchronized (byImage) {
        byImage.put(image, new long[] {downloadedBytes, knownTotalBytes});
        done = byImage.values().stream().mapToLong(v -> v[0]).sum();
        total = byImage.values().stream().mapToLong(v -> v[1]).sum();
        images = byImage.size();
      }
      if (total > 0) { // before any layer's size is known there is nothing to show
        bar.retotal(total >> 20);
        bar.update(done >> 20, images + " image(s)");
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }

  @Command(name = "prune", mixinStandardHelpOptions = true,
      description = "Removes the instance images of the task file's rows (the base image and"
          + " images other rows name stay).")
  static final class Prune implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--tasks", required = true, paramLabel = "FILE", description = "Task file.")
    String tasks;

    @CommandLine.Mixin ImageOptions images = new ImageOptions();

    @Override
    public Integer call() {
      SandboxSettings settings = sandbox(images);
      List<String> names = images(tasks, settings);
      int removed = 0;
      try (DockerSandboxProvider docker = DockerSandboxProvider.connect(settings)) {
        for (String n : names) {
          if (!n.equals(settings.baseImage()) && docker.removeImage(n)) {
            System.out.println("removed " + n);
            removed++;
          }
        }
      }
      System.err.printf("%d of %d instance images removed%n", removed, names.size());
      return 0;
    }
  }
}
