package io.twinrouter.orchestrator.cli;

import io.twinrouter.agent.grading.Grader;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.tasks.TaskInstance;
import io.twinrouter.agent.tasks.TaskSuite;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.console.ProgressBar;
import io.twinrouter.orchestrator.live.TaskCatalog;
import io.twinrouter.orchestrator.live.TaskValidator;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.backends.SandboxProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code tasks validate}: checks a task suite the way SWE-bench validates its instances. */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    description = "Task suites in the SWE-bench instance format.",
    subcommands = {TasksCommand.Validate.class})
public final class TasksCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "For every task, in fresh sandboxes: the gold patch must resolve it, and without a fix"
            + " (an empty patch) every FAIL_TO_PASS test must fail and every PASS_TO_PASS test pass.",
        "Prints one line per task (ok|FAIL id: detail); exits 0 when all tasks validate, else 1."
      })
  static final class Validate implements Callable<Integer> {
    @Parameters(paramLabel = "FILE|bundled", description = "A task file, or 'bundled'.")
    String tasks;

    @Option(names = "--sandbox", defaultValue = "docker", paramLabel = "docker|local",
        description = "Sandbox backend (default docker; local = bwrap).")
    String sandbox;

    @CommandLine.Mixin ImageOptions images = new ImageOptions();

    @Option(names = "--specs", paramLabel = "FILE",
        description = "More (repo, version) specs, in SWE-bench's key names, for in-house sets.")
    Path specs;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
        description = "Tasks validated at once (default 2).")
    int workers;

    @Override
    public Integer call() throws Exception {
      if (!sandbox.equals("docker") && !sandbox.equals("local")) {
        throw new InputException("--sandbox must be docker or local, got '" + sandbox + "'");
      }
      if (workers < 1) {
        throw new InputException("--workers must be at least 1, got " + workers);
      }
      SpecsOption.add(specs);
      TwinrouterSettings settings = images.apply(TwinrouterSettings.load());
      Path extract = Files.createTempDirectory("twinrouter-tasks");
      try {
        return validate(settings, extract);
      } finally {
        deleteTree(extract);
      }
    }

    private int validate(TwinrouterSettings settings, Path extract) throws Exception {
      List<TaskInstance> loaded;
      try {
        loaded = TaskSuite.open(tasks, extract);
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage(), e);
      }
      SandboxSettings sandboxSettings = SandboxSettings.from(settings.raw()).withBackend(sandbox);
      AgentSettings agent = AgentSettings.from(settings.raw());
      TaskCatalog catalog = new TaskCatalog(loaded, "validate-" + ProcessHandle.current().pid(),
          sandboxSettings, agent.commandEnv(), agent.shell());
      int invalid = 0;
      int infrastructure = 0;
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      try (SandboxProvider provider = provider(sandboxSettings);
          ProgressBar bar = new ProgressBar("validate", loaded.size())) {
        TaskValidator validator = new TaskValidator(provider, catalog, Grader.DEFAULT_EVAL_TIMEOUT);
        List<Future<TaskValidator.Verdict>> verdicts = new ArrayList<>();
        for (String id : catalog.ids()) {
          verdicts.add(pool.submit(() -> {
            TaskValidator.Verdict v = validator.validate(id);
            bar.step(v.valid() ? "" : "invalid: " + id);
            return v;
          }));
        }
        for (Future<TaskValidator.Verdict> f : verdicts) {
          TaskValidator.Verdict v = f.get();
          System.out.println((v.valid() ? "ok   " : v.infrastructure() ? "INFRA " : "FAIL ")
              + v.instanceId() + ": " + v.detail());
          invalid += v.valid() ? 0 : 1;
          infrastructure += v.infrastructure() ? 1 : 0;
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.println((loaded.size() - invalid) + "/" + loaded.size() + " tasks valid"
          + (infrastructure == 0 ? "" : "; " + infrastructure + " not checked: this machine's"
              + " environment failed (INFRA), not the task"));
      return invalid == 0 ? 0 : 1;
    }

    /** The extracted bundled suite; a leftover in the temporary directory is harmless. */
    private static void deleteTree(Path dir) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException e) {
        // best effort
      }
    }

    private SandboxProvider provider(SandboxSettings s) {
      try {
        return SandboxProviders.create(sandbox, s);
      } catch (SandboxException e) {
        throw new InputException("--sandbox " + sandbox + ": " + e.getMessage(), e);
      }
    }
  }
}
