package io.twinrouter.orchestrator.cli;

import io.twinrouter.config.SettingsException;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.orchestrator.derive.Derivation;
import io.twinrouter.orchestrator.derive.DeriveOptions;
import io.twinrouter.sandbox.SandboxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code twinrouter static derive}: derives an execution-verified static bank by downgrade and
 * cascade over live runs ({@link Derivation}).
 */
@Command(
    name = "derive",
    mixinStandardHelpOptions = true,
    description = {
      "Derives a static question bank from live runs with the paper's downgrade-and-cascade "
          + "protocol: tasks resolved at high are kept; each step, in order, is locked at the "
          + "cheapest tier whose whole trajectory still resolves in the same number of steps.",
      "Writes the bank (official row format), <bank>.manifest.json beside it, and every trial "
          + "run under <bank>.work/; rerunning with the same --out resumes."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:written", "1:a trial could not be run (rerun to resume)", "2:bad input"})
public final class StaticDeriveCommand implements Callable<Integer> {
  @Option(names = "--tasks", defaultValue = "bundled", paramLabel = "FILE|bundled",
      description = "SWE-bench-style task file, or the bundled suite (default).")
  String tasks;

  @Option(names = "--pool", defaultValue = "sim", paramLabel = "sim|FILE",
      description = "sim (the simulated pool on a free loopback port, default) or a pool file.")
  String pool;

  @Option(names = "--sandbox", defaultValue = "docker", paramLabel = "docker|local",
      description = "Sandbox of every trial (default ${DEFAULT-VALUE}).")
  String sandbox;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The bank to write.")
  Path out;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Seed of the simulated pool (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--instance-ids", paramLabel = "FILE",
      description = "Only these tasks (one id a line, # comments).")
  Path instanceIds;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
      description = "Trials at once (default ${DEFAULT-VALUE}).")
  int workers;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (workers < 1) {
      throw new InputException("--workers must be at least 1, got " + workers);
    }
    if (!sandbox.equals("docker") && !sandbox.equals("local")) {
      throw new InputException("--sandbox must be docker or local, got '" + sandbox + "'");
    }
    DeriveOptions o = new DeriveOptions(tasks, pool, sandbox, out, seed,
        Optional.ofNullable(instanceIds), workers);
    Derivation.Result r;
    try {
      r = new Derivation(o, TwinrouterSettings.load()).run(true);
    } catch (SettingsException | IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    } catch (SandboxException e) {
      throw new InputException("sandbox " + sandbox + ": " + e.getMessage(), e);
    }
    System.out.printf("derived %d rows from %d of %d tasks (%d dropped: unresolved at high); "
            + "%d trials run, %d reused%nbank: %s%nmanifest: %s%n",
        r.rows(), r.kept(), r.tasks(), r.tasks() - r.kept(), r.trialsRun(), r.trialsReused(),
        r.bank(), r.manifest());
    return 0;
  }
}
