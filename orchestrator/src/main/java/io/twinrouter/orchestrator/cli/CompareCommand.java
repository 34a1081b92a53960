package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.config.SettingsException;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.orchestrator.compare.CompareOptions;
import io.twinrouter.orchestrator.compare.CompareReport;
import io.twinrouter.orchestrator.compare.CompareRun;
import io.twinrouter.orchestrator.live.LiveRun;
import io.twinrouter.orchestrator.live.LiveRunOptions;
import io.twinrouter.orchestrator.live.RunOutputs;
import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.scoring.compare.SequentialDesign;
import io.twinrouter.scoring.service.Comparisons;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code compare}: two or three routers, paired and sequential, until the evidence decides. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the routers on the same cases in the same seeded order, --batch cases at a time, each"
          + " router a normal live run in --out/<router> (resumable: rerun to continue). After each"
          + " batch a sequential test (Armitage's restricted SPRT on the untied cases, see"
          + " docs/compare.md) decides A better, B better, or no difference of at least --effect;"
          + " the comparison stops at a decision, at --max-cases (or the end of the suite: no"
          + " difference), or when --budget-usd cannot reach a decision.",
      "Prints the decision, the paired differences in resolve rate and bill with intervals valid"
          + " under the stopping rule, the cases and money spent and what a fixed-n design would"
          + " need; writes the same to --out/compare.json. --plan prints the plan only."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the comparison ended (decided, at its limit or its budget); or the plan",
        "2:bad input"})
public final class CompareCommand implements Callable<Integer> {

  @Option(names = "--routers", required = true, split = ",", paramLabel = "A,B[,C]",
      description = "Two or three routers (names or URLs); with three every pair is tested at"
          + " --alpha/3.")
  List<String> routers;

  @Option(names = "--tasks", defaultValue = "bundled", paramLabel = "FILE|bundled",
      description = "SWE-bench-format task file, or 'bundled' (default).")
  String tasks;

  @Option(names = "--pool", defaultValue = "sim", paramLabel = "sim|FILE",
      description = "'sim' (simulated pool, default) or a pool file.")
  String pool;

  @Option(names = "--sandbox", defaultValue = "docker", paramLabel = "docker|local",
      description = "Sandbox backend (default docker; local = bwrap).")
  String sandbox;

  @Option(names = "--budget-usd", paramLabel = "USD",
      description = "The most the comparison may spend, all routers and repeats together.")
  Double budgetUsd;

  @Option(names = "--effect", defaultValue = "0.05", paramLabel = "D",
      description = "Smallest difference in resolve rate worth detecting (default 0.05).")
  double effect;

  @Option(names = "--alpha", defaultValue = "0.05", paramLabel = "A",
      description = "Chance of naming a winner when the routers are equal (default 0.05).")
  double alpha;

  @Option(names = "--power", defaultValue = "0.8", paramLabel = "P",
      description = "Chance of naming the better router at --effect (default 0.8).")
  double power;

  @Option(names = "--repeats", defaultValue = "1", paramLabel = "K",
      description = "Runs of each (router, case), seeds S..S+K-1; the test uses each case's"
          + " share of resolved repeats (default 1).")
  int repeats;

  @Option(names = "--max-cases", paramLabel = "N", description = "At most N cases per router.")
  Integer maxCases;

  @Option(names = "--batch", defaultValue = "2", paramLabel = "N",
      description = "Cases each router runs between two looks of the test (default 2).")
  int batch;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Seed of the case order and of the simulated pool (default 0).")
  long seed;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
      description = "Cases at once within each router's run (default 2).")
  int workers;

  @Option(names = "--out", paramLabel = "DIR", description = "Comparison directory (not needed"
      + " with --plan).")
  Path out;

  @Option(names = "--plan", description = "Print the plan (expected cases and cost, fixed-n"
      + " equivalent, assumptions) and run nothing.")
  boolean plan;

  @Option(names = "--from", arity = "1..*", paramLabel = "RUN_DIR",
      description = "Earlier run directories to plan from: two give the discordance, one the"
          + " resolve rate; both give the bill per case.")
  List<Path> from = List.of();

  @Option(names = "--base-rate", defaultValue = "0.5", paramLabel = "R",
      description = "B's resolve rate assumed without --from (default 0.5).")
  double baseRate;

  @Option(names = "--json", description = "Print compare.json instead of the summary lines.")
  boolean json;

  @picocli.CommandLine.Mixin RouterTimingOptions timing = new RouterTimingOptions();

  @Option(names = "--serve",
      description = "Run inside the scoring service (twinrouter.http.port, else a free port):"
          + " GET /v1/compare/<out folder name>/events follows each look; the service stays up"
          + " after the comparison until Ctrl-C.")
  boolean serve;

  @Override
  public Integer call() throws Exception {
    if (!plan && out == null) {
      throw new InputException("--out is required (except with --plan)");
    }
    if (!sandbox.equals("docker") && !sandbox.equals("local")) {
      throw new InputException("--sandbox must be docker or local, got '" + sandbox + "'");
    }
    if (workers < 1) {
      throw new InputException("--workers must be at least 1, got " + workers);
    }
    TwinrouterSettings settings = timing.apply(TwinrouterSettings.load());
    CompareOptions o;
    CompareRun run;
    try {
      o = new CompareOptions(routers.stream().map(String::strip).toList(), tasks, pool, sandbox,
          Optional.ofNullable(budgetUsd), effect, alpha, power, repeats,
          Optional.ofNullable(maxCases), batch, seed, workers,
          out == null ? Path.of(".") : out.toAbsolutePath(), from, baseRate);
      run = new CompareRun(o, settings);
      if (plan) {
        return printPlan(o, run.plans());
      }
      for (String router : o.routers()) {
        LiveCommand.checkRouter(LiveRunOptions.of(tasks, router, sandbox, o.out()).withPool(pool)
            .withSeed(seed), settings);
      }
      warnIfNoWinnerCanBeNamed(o, run);
    } catch (SettingsException | IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    if (!serve) {
      return print(o, follow(o, run, p -> {}, Optional.empty()));
    }
    try (RunService service = RunService.start(o.out(), settings)) {
      String id = CompareReport.id(o);
      System.err.println("scoring service: " + service.url() + "  (GET /v1/compare/" + id
          + "/events follows the comparison)");
      int status = print(o, follow(o, run, p -> service.comparisons().tell(
          new Comparisons.Update(id, CompareReport.json(p), p.finished())),
          Optional.of(service.host())));
      System.out.println("scoring service: " + service.url() + "/v1/compare/" + id + "; Ctrl-C stops");
      System.out.flush();
      service.serveUntilStopped();
      return status;
    }
  }

  /**
   * Says up front when the cases to run are fewer than the design needs to name a winner (the
   * default --effect 0.05 needs 37 on the 13 bundled cases): the run can then only end in "no
   * difference" or undecided, which the user should know before paying for it.
   */
  private static void warnIfNoWinnerCanBeNamed(CompareOptions o, CompareRun run) {
    noWinnerNote(o.effect(), run.plans().get(0).plan().design(), run.caseOrder().size())
        .ifPresent(System.err::println);
  }

  static Optional<String> noWinnerNote(double effect, SequentialDesign design, int cases) {
    int fewest = design.fewestToNameAWinner();
    if (fewest <= cases) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "compare: note: naming a winner at --effect %.2f"
        + " and --alpha %.3f takes at least %d untied cases, all won by the same router; only %d"
        + " cases are to run, so this comparison can end only in \"no difference\" or undecided (a"
        + " larger --effect or --alpha, or more cases, can decide; see docs/compare.md)", effect,
        design.alpha(), fewest, cases));
  }

  /** Runs the comparison, writing compare.json and a progress line after each look. */
  private CompareRun.Progress follow(CompareOptions o, CompareRun run,
      Consumer<CompareRun.Progress> looks, Optional<LiveRun.Host> host) throws Exception {
    try {
      return run.run(p -> {
        if (!p.finished()) {
          System.err.println(progressLine(p));
          RunOutputs.write(o.out().resolve("compare.json"), CompareReport.json(p));
        }
        looks.accept(p);
      }, host);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    } catch (SandboxException e) {
      throw new InputException("sandbox " + sandbox + ": " + e.getMessage(), e);
    }
  }

  private int print(CompareOptions o, CompareRun.Progress end) {
    ObjectNode report = CompareReport.json(end);
    RunOutputs.write(o.out().resolve("compare.json"), report);
    if (json) {
      System.out.println(report.toPrettyString());
    } else {
      CompareReport.lines(report).forEach(System.out::println);
      System.out.println("comparison: " + out.resolve("compare.json"));
    }
    return 0;
  }

  private static String progressLine(CompareRun.Progress p) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "compare: %d cases, %.4f USD",
        p.casesRun().size(), p.spendUsd()));
    for (CompareRun.Pair pair : p.pairs()) {
      var st = pair.comparison().standing();
      s.append(String.format(Locale.ROOT, "; %s: %+.3f [%+.3f, %+.3f]",
          CompareReport.decision(pair.comparison(), p.stop()), st.resolveDifference().estimate(),
          st.resolveDifference().low(), st.resolveDifference().high()));
    }
    return s.toString();
  }

  private int printPlan(CompareOptions o, List<CompareRun.Pair> pairs) {
    ObjectNode j = JsonNodeFactory.instance.objectNode();
    var arr = j.putArray("pairs");
    for (CompareRun.Pair p : pairs) {
      ObjectNode pj = arr.addObject();
      pj.put("a", o.routers().get(p.a()));
      pj.put("b", o.routers().get(p.b()));
      pj.put("alpha", p.plan().design().alpha());
      pj.put("power", o.power());
      pj.put("effect", o.effect());
      pj.put("repeats", o.repeats());
      CompareReport.plan(pj, p.plan());
    }
    if (json) {
      System.out.println(j.toPrettyString());
      return 0;
    }
    var p = pairs.get(0).plan();
    System.out.printf(Locale.ROOT, "plan: detect a difference of %.3f in resolve rate with power %.2f"
            + " at alpha %.3f (per pair)%n", o.effect(), o.power(), p.design().alpha());
    System.out.printf(Locale.ROOT, "  sequential: %.1f cases expected per router at the effect, %.1f"
            + " if the routers are equal (at most %d untied cases)%n", p.casesAtEffect(),
        p.casesWhenEqual(), p.design().maxUntied());
    System.out.printf(Locale.ROOT, "  fixed-n McNemar design with the same error rates: %.0f cases%n",
        Math.ceil(p.fixedCases()));
    System.out.printf(Locale.ROOT, "  fewest untied cases that can name a winner: %d, all won by"
        + " the same router%n", p.design().fewestToNameAWinner());
    System.out.printf(Locale.ROOT, "  exact error rates of the design: alpha %.4f, power %.4f%n",
        p.exactAlpha(), p.exactPower());
    System.out.println("  cost: " + p.expectedCostUsd().map(c -> String.format(Locale.ROOT,
        "%.2f USD expected, %.2f USD for the fixed-n design (all routers%s)", c,
        p.fixedCostUsd().orElse(0.0), o.repeats() > 1 ? ", all repeats" : ""))
        .orElse("unknown: give earlier runs with --from"));
    System.out.println("  assumptions: " + p.assumptions());
    if (o.repeats() > 1) {
      System.out.println("  repeats: the plan counts cases; repeats sharpen each case's sign, so"
          + " the assumed discordance is conservative");
    }
    return 0;
  }
}
