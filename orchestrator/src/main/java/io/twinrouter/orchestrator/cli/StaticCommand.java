package io.twinrouter.orchestrator.cli;

import io.twinrouter.bank.BundledBank;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.bank.tokens.TokenCountCache;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.config.InputFormatException;
import io.twinrouter.config.StaticTrackSettings;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.scoring.json.PythonJsonWriter;
import io.twinrouter.scoring.statictrack.Manifest;
import io.twinrouter.scoring.statictrack.Predictions;
import io.twinrouter.scoring.statictrack.SampleSpec;
import io.twinrouter.scoring.statictrack.StaticScore;
import io.twinrouter.scoring.statictrack.StaticScorer;
import io.twinrouter.scoring.statictrack.SummaryTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code twinrouter static ...}: the static track. A plain parent; the work is in subcommands. */
@Command(
    name = "static",
    mixinStandardHelpOptions = true,
    description = "Static track: score router predictions on the question bank.",
    subcommands = {StaticCommand.Score.class})
public final class StaticCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  /**
   * Options every static subcommand that loads a bank shares (a picocli mixin): the bank and its
   * tokenizers.
   */
  public static final class BankOptions {
    @Option(names = "--bank", required = true, paramLabel = "FILE",
        description = "The question bank (JSONL, one row a line), or bundled (the bank derived "
            + "from the bundled suite that ships in the jar).")
    Path bank;

    @Option(names = "--tokenizer", paramLabel = "[TIER=]SPEC",
        description = "Token counting: cl100k, hf:PATH (a tokenizer.json) or regex:PATTERN; for "
            + "every tier, or TIER=SPEC for one (low, mid, mid_high, high). Repeatable. Default: "
            + "twinrouter.static.tokenizers, else cl100k (the reference's fallback).")
    List<String> tokenizers = new ArrayList<>();

    @Option(names = "--no-token-cache",
        description = "Count the bank's tokens even when the token-count cache "
            + "($XDG_CACHE_HOME/twinrouter, else ~/.cache/twinrouter) has them, and store nothing.")
    boolean noTokenCache;

    /** Loads and tokenizes the bank, reporting what was loaded on {@code err}. */
    public LoadedBank load(StaticTrackSettings settings, PrintWriter err) {
      try {
        TokenizerSet set = TokenizerSet.fromOptions(tokenizers, settings.tokenizers());
        long start = System.nanoTime();
        LoadedBank loaded = BundledBank.loadFileOrBundled(bank, set,
            noTokenCache ? TokenCountCache.disabled() : TokenCountCache.inUserCacheDir());
        err.printf("twinrouter: loaded %s: %d rows, %d trajectories, tokens by %s%s "
                + "(%d ms)%n", loaded.name(), loaded.rowCount(), loaded.trajectoryCount(),
            set.describe(), loaded.tokenCountsCached() ? ", counts from the token-count cache" : "",
            (System.nanoTime() - start) / 1_000_000);
        err.flush();
        return loaded;
      } catch (InputFormatException e) {
        throw new InputException(e.getMessage(), e);
      } catch (NoSuchFileException e) {
        throw new InputException(e.getFile() + ": question bank not found", e);
      } catch (UncheckedIOException e) {
        throw new InputException(e.getMessage(), e);
      } catch (IOException e) {
        throw new InputException(bank + ": cannot read: " + e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "score",
      mixinStandardHelpOptions = true,
      description = {
        "Scores one prediction file against a question bank with the reference scorer's exact "
            + "arithmetic (ROWPASS, ROWEXACT, TRAJPASS, COSTSAVE, COMBINED, router accounting, "
            + "section 11).",
        "Prediction lines: {\"id\": ..., \"tier\": \"low|mid|mid_high|high\"}, "
            + "{\"id\": ..., \"tier_id\": 0-3} or {\"id\": ..., \"error\": \"...\"}. A row "
            + "without a prediction is scored as an error row."
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {"0:scored", "2:bad input (the message names the file, line and field)"})
  public static final class Score implements Callable<Integer> {
    @CommandLine.Mixin BankOptions bankOptions;

    @Option(names = "--predictions", required = true, paramLabel = "FILE",
        description = "Predictions, JSONL.")
    Path predictions;

    @Option(names = "--label", paramLabel = "NAME",
        description = "The summary's classifier (default: the prediction file's name without "
            + "its extension).")
    String label;

    @Option(names = "--sample", paramLabel = "N",
        description = "Score a proportional sample of N rows (the reference's sampling).")
    Integer sample;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
        description = "Seed of the sample (default ${DEFAULT-VALUE}); without --sample it is "
            + "only reported, as the reference does.")
    long seed;

    @Option(names = "--manifest", paramLabel = "FILE",
        description = "A manifest.json whose sources.*.line_count set the sample's quotas "
            + "(default: the official manifest's counts, twinrouter.static.manifest-line-counts).")
    Path manifest;

    @Option(names = "--json", description = "Print the summary JSON (the reference's format).")
    boolean json;

    @Option(names = "--trace", paramLabel = "FILE",
        description = "Also write one JSON line per priced step: token buckets and costs on the "
            + "baseline, gold and predicted paths.")
    Path trace;

    @Option(names = "--server", paramLabel = "URL",
        description = "Score on a running 'twinrouter serve' at URL instead of loading the bank "
            + "here: the same output, byte for byte. The service must serve this very bank file "
            + "(matched by SHA-256) with the same tokenizers. Not with --trace or --manifest.")
    URI server;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
      StaticTrackSettings settings = TwinrouterSettings.load().staticTrack();
      Optional<SampleSpec> sampleSpec = sampleSpec(settings);
      if (server != null) {
        return scoreOnServer(settings);
      }
      Predictions preds = readPredictions();
      LoadedBank bank = bankOptions.load(settings, spec.commandLine().getErr());
      StaticScorer scorer = new StaticScorer(settings);
      List<String> traceLines = trace == null ? null : new ArrayList<>();
      StaticScore score;
      try {
        score = scorer.score(bank, preds, sampleSpec, label(), seed,
            traceLines == null ? null : line -> traceLines.add(PythonJsonWriter.writeCompact(line)));
      } catch (InputFormatException e) {
        throw new InputException(e.getMessage(), e);
      }
      if (score.missingPredictions() > 0) {
        spec.commandLine().getErr().printf("twinrouter: %d of %d rows had no prediction in %s and were scored as "
            + "error rows%n", score.missingPredictions(), score.rowsScored(), predictions);
        spec.commandLine().getErr().flush();
      }
      if (traceLines != null) {
        writeAtomically(trace, traceLines);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(json ? PythonJsonWriter.write(score.summary())
          : SummaryTable.render(score.summary()));
      out.flush();
      return 0;
    }

    /** The job sent to a running service; see {@link ServerScoring}. */
    private int scoreOnServer(StaticTrackSettings settings)
        throws IOException, InterruptedException {
      if (trace != null || manifest != null) {
        throw new InputException("--server: --trace and --manifest need the bank here; "
            + "leave out --server to use them");
      }
      String tokenizers;
      try {
        tokenizers = TokenizerSet.fromOptions(bankOptions.tokenizers, settings.tokenizers())
            .describe();
      } catch (InputFormatException e) {
        throw new InputException(e.getMessage(), e);
      }
      ServerClient service = ServerClient.of(server);
      Path bank = bankOptions.bank;
      String name = service.bankName(bank, Optional.of(tokenizers));
      String shard = BundledBank.isBundled(bank)
          ? BundledBank.FILE_NAME : bank.getFileName().toString();
      byte[] summary = new ServerScoring(service).score(name, predictions, label(), seed, sample, shard);
      spec.commandLine().getErr().printf("twinrouter: scored by %s (bank '%s')%n", server, name);
      spec.commandLine().getErr().flush();
      PrintWriter out = spec.commandLine().getOut();
      out.print(json ? new String(summary, StandardCharsets.UTF_8)
          : SummaryTable.render(ServerClient.parse(summary)));
      out.flush();
      return 0;
    }

    private String label() {
      if (label != null) {
        return label;
      }
      String name = predictions.getFileName().toString();
      int dot = name.lastIndexOf('.');
      return dot > 0 ? name.substring(0, dot) : name;
    }

    private Optional<SampleSpec> sampleSpec(StaticTrackSettings settings) throws IOException {
      if (sample == null) {
        if (manifest != null) {
          throw new InputException("--manifest only applies with --sample N");
        }
        return Optional.empty();
      }
      if (sample <= 0) {
        throw new InputException("--sample: the sample size must be positive, got " + sample);
      }
      Map<String, Integer> counts = settings.manifestLineCounts();
      if (manifest != null) {
        try {
          counts = Manifest.lineCounts(manifest);
        } catch (InputFormatException e) {
          throw new InputException(e.getMessage(), e);
        } catch (NoSuchFileException e) {
          throw new InputException(manifest + ": manifest not found", e);
        }
      }
      return Optional.of(new SampleSpec(sample, seed, counts));
    }

    private Predictions readPredictions() throws IOException {
      try (Reader r = Files.newBufferedReader(predictions, StandardCharsets.UTF_8)) {
        return Predictions.parseJsonl(predictions.toString(), r);
      } catch (InputFormatException e) {
        throw new InputException(e.getMessage(), e);
      } catch (NoSuchFileException e) {
        throw new InputException(predictions + ": prediction file not found", e);
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new InputException(predictions + ": not valid UTF-8", e);
      }
    }

    /** Written beside the target and moved into place, so a failure leaves no partial file. */
    private static void writeAtomically(Path target, List<String> lines) throws IOException {
      Path dir = target.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      try {
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          for (String line : lines) {
            w.write(line);
            w.write('\n');
          }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }

}
