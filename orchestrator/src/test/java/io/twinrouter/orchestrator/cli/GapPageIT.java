package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.scoring.http.ScoringServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The gap report and its page end to end, on real short live runs (two easy bundled cases under
 * two routers, simulated pool, bwrap sandboxes): {@code gap --json} and {@code GET /v1/gap} agree,
 * and the page {@code /ui/}, loaded in headless Chromium (Debian's package, installed by
 * scripts/prepare-test-env), shows the routers, their figures, the plot's points and each case's
 * tier strip. The screenshot is kept as {@code target/gap-page.png}.
 */
class GapPageIT {
  static final List<String> CASES = List.of(
      "twinrouter-suite__ledgerkit-101", "twinrouter-suite__tinyini-201");
  static final List<String> ROUTERS = List.of("heuristic", "always-high");
  static final String TOKENS = "regex:\\S+";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void thePageShowsBothTracksThePlotAndEachCasesTiersOfRealRuns() throws Exception {
    Path ids = dir.resolve("ids.txt");
    Files.writeString(ids, String.join("\n", CASES) + "\n");
    List<String> runDirs = new ArrayList<>();
    for (String router : ROUTERS) {
      Path out = dir.resolve("runs").resolve(router);
      ServeCommandTest.Run run = ServeCommandTest.cli("live", "run", "--router", router, "--sandbox", "local",
          "--workers", "2", "--instance-ids", ids.toString(), "--out", out.toString());
      assertEquals(0, run.status(), run.err());
      runDirs.add(out.toString());
    }
    Path bank = writeBank(dir.resolve("gapbank.jsonl"));

    List<String> args = new ArrayList<>(List.of("gap", "--bank", bank.toString(), "--tokenizer", TOKENS, "--json", "--runs"));
    args.addAll(runDirs);
    ServeCommandTest.Run gap = ServeCommandTest.cli(args.toArray(String[]::new));
    assertEquals(0, gap.status(), gap.err());
    JsonNode cli = JSON.readTree(gap.out());

    ServeCommand serve = new ServeCommand();
    CompletableFuture<ScoringServer> ready = new CompletableFuture<>();
    serve.onReady = ready::complete;
    CommandLine cl = new CommandLine(serve);
    cl.setErr(new PrintWriter(new StringWriter(), true));
    List<String> serveArgs = new ArrayList<>(List.of("--port", "0", "--bank", "gapbank=" + bank,
        "--tokenizer", TOKENS, "--gap-runs"));
    serveArgs.addAll(runDirs);
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> cl.execute(serveArgs.toArray(String[]::new)));
    ScoringServer server = ready.get(120, TimeUnit.SECONDS);
    try {
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> http = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(base + "/v1/gap?bank=gapbank")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, http.statusCode(), http.body());
      assertEquals(cli, JSON.readTree(http.body()), "gap --json and GET /v1/gap agree");

      String dom = chromium(dir, "--dump-dom", base + "/ui/");
      assertTrue(dom.contains("data-ready=\"true\""), dom);
      for (JsonNode r : cli.get("routers")) {
        checkRouter(dom, r);
      }
      Path shot = Path.of("target", "gap-page.png").toAbsolutePath();
      Files.deleteIfExists(shot);
      chromium(dir, "--screenshot=" + shot, "--window-size=1280,900", base + "/ui/");
      assertTrue(Files.size(shot) > 10_000, "screenshot " + shot);
    } finally {
      server.close();
    }
    assertEquals(0, status.get(30, TimeUnit.SECONDS));
  }

  /** The router's rows in both boards, its point in the plot and the tier strip of each case. */
  static void checkRouter(String dom, JsonNode r) {
    String name = r.get("router").asText();
    JsonNode live = r.get("live");
    String liveRow = element(dom, "<tr data-router=\"" + name + "\">", "</tr>", 0);
    assertTrue(liveRow.contains(live.get("resolved").asInt() + "/" + live.get("cases").asInt()), liveRow);
    assertTrue(liveRow.contains(String.format(Locale.ROOT, "$%.4f", live.get("bill_usd").asDouble())), liveRow);
    String staticRow = element(dom, "<tr data-router=\"" + name + "\">", "</tr>", 1);
    assertTrue(staticRow.contains(String.format(Locale.ROOT, "%.1f",
        r.at("/static/combined_score_percent").asDouble())), staticRow);

    Matcher point = Pattern.compile("<circle class=\"point (pareto|dominated)\"[^>]*data-router=\""
        + Pattern.quote(name) + "\" data-cost=\"([^\"]+)\" data-resolved=\"([^\"]+)\"").matcher(dom);
    assertTrue(point.find(), "no point for " + name);
    assertEquals(live.get("pareto_optimal").asBoolean() ? "pareto" : "dominated", point.group(1));
    assertEquals(live.get("api_cost_usd").asDouble(), Double.parseDouble(point.group(2)), 1e-12);
    assertEquals(live.get("resolved_rate").asDouble(), Double.parseDouble(point.group(3)), 1e-12);

    for (JsonNode c : r.get("cases")) {
      List<String> tiers = new ArrayList<>();
      c.get("tiers").forEach(t -> tiers.add(t.asText()));
      assertTrue(!tiers.isEmpty(), name + " " + c);
      String strip = element(dom, "<div class=\"strip\" data-router=\"" + name + "\" data-case=\""
          + c.get("instance_id").asText() + "\" data-tiers=\"" + String.join(" ", tiers) + "\">", "</div>", 0);
      assertEquals(tiers.size(), strip.split("class=\"step tier-", -1).length - 1, strip);
      assertTrue(strip.contains("class=\"step tier-" + tiers.get(0) + "\" title=\"step 1: " + tiers.get(0) + "\""), strip);
    }
  }

  /** The {@code n}-th (0-based) element of the DOM text starting with {@code open}, to {@code close}. */
  static String element(String dom, String open, String close, int n) {
    int at = -1;
    for (int i = 0; i <= n; i++) {
      at = dom.indexOf(open, at + 1);
      assertTrue(at >= 0, "not in the page: " + open + " (#" + i + ")");
    }
    return dom.substring(at, dom.indexOf(close, at) + close.length());
  }

  /** Headless Chromium with a fresh profile, no sandbox (root), no background traffic. */
  /**
   * Runs headless Chromium once more when it hangs: with {@code --virtual-time-budget} it now and
   * then never exits (seen once in a full suite run, not reproducible alone), which says nothing
   * about the page. Three hangs in a row fail the test.
   */
  static String chromium(Path dir, String... args) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      String out = chromiumOnce(dir, args);
      if (out != null) {
        return out;
      }
      if (attempt == 3) {
        throw new AssertionError("chromium did not finish within 60 s, three times: "
            + Files.readString(dir.resolve("chromium.err")));
      }
    }
  }

  /** Chromium's stdout, or null when it did not finish within 60 s (then it is killed). */
  private static String chromiumOnce(Path dir, String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile,
        // lets the page's fetches finish before the DOM is dumped or the screenshot taken
        "--virtual-time-budget=15000"));
    cmd.addAll(List.of(args));
    Path err = dir.resolve("chromium.err");
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("chromium is not installed: run scripts/prepare-test-env", e);
    }
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
      try {
        return p.getInputStream().readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      return null;
    }
    assertEquals(0, p.exitValue(), Files.readString(err));
    return new String(out.join(), StandardCharsets.UTF_8);
  }

  /** Bank rows for both cases: ledgerkit-101 in two steps, tinyini-201 in one; targets fixed. */
  static Path writeBank(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(row(CASES.get(0), 1, "low", "Fix the bug the issue describes in ledgerkit"));
    lines.add(row(CASES.get(0), 2, "mid", "The test still fails; read the traceback and fix the code"));
    lines.add(row(CASES.get(1), 1, "mid_high", "get_bool() raises ValueError for True and Yes"));
    Files.write(file, lines);
    return file;
  }

  static String row(String instance, int step, String tier, String text) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", instance + "_s" + step);
    r.put("benchmark", "swebench");
    r.put("instance_id", instance);
    r.put("step_index", step);
    var messages = r.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are a coding agent with a bash tool.");
    messages.addObject().put("role", "user").put("content", text);
    r.put("target_tier", tier);
    r.put("target_tier_id", List.of("low", "mid", "mid_high", "high").indexOf(tier));
    return r.toString();
  }
}
