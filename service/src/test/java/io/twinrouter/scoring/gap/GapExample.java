package io.twinrouter.scoring.gap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.bank.BankLoader;
import io.twinrouter.bank.LoadedBank;
import io.twinrouter.bank.tokens.TokenizerSet;
import io.twinrouter.bank.tokens.TokenizerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small constructed example in real files, with every statistic computed by hand in
 * {@link GapReportTest}: a bank with rows for cases c1-c6 (c1 has two steps; c7 and c8 have none)
 * and three live runs over c1-c8.
 *
 * <pre>
 * targets       c1 low,mid  c2 high  c3 mid  c4 low  c5 mid  c6 low
 * A (file)      low,mid     mid      high    low     low     mid     static: T F T T F T
 * B (file)      high,high   error    high    high    high    high    static: T F T T T T
 * C (always-low, routed)                                           static: F F F T F T
 * live A        c1 c3 c6 resolved (3/8); API 0.20
 * live B        all resolved (8/8);      API 0.80
 * live C        c1 resolved (1/8);       API 0.80
 * </pre>
 */
final class GapExample {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> CASES = List.of("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8");
  static final TokenizerSet TOKENS = TokenizerSet.uniform(new TokenizerSpec.Regex(Pattern.compile("\\S+")));

  final Path bank;
  final Path runA;
  final Path runB;
  final Path runC;
  final Path predictionsA;
  final Path predictionsB;

  GapExample(Path dir) throws IOException {
    bank = dir.resolve("gapbank.jsonl");
    List<String> rows = new ArrayList<>();
    rows.add(row("c1", 1, "low"));
    rows.add(row("c1", 2, "mid"));
    rows.add(row("c2", 1, "high"));
    rows.add(row("c3", 1, "mid"));
    rows.add(row("c4", 1, "low"));
    rows.add(row("c5", 1, "mid"));
    rows.add(row("c6", 1, "low"));
    Files.write(bank, rows);

    predictionsA = dir.resolve("a.jsonl");
    Files.write(predictionsA, List.of(pred("c1_s1", "low"), pred("c1_s2", "mid"), pred("c2_s1", "mid"),
        pred("c3_s1", "high"), pred("c4_s1", "low"), pred("c5_s1", "low"), pred("c6_s1", "mid")));
    predictionsB = dir.resolve("b.jsonl");
    Files.write(predictionsB, List.of(pred("c1_s1", "high"), pred("c1_s2", "high"),
        "{\"id\": \"c2_s1\", \"error\": \"router timed out\"}", pred("c3_s1", "high"),
        pred("c4_s1", "high"), pred("c5_s1", "high"), pred("c6_s1", "high")));

    runA = dir.resolve("run-a");
    writeRun(runA, "router-a", "http://127.0.0.1:9/route", Map.of(
        "c1", new double[] {0.01, 0.02}, "c2", new double[] {0.05}, "c3", new double[] {0.01},
        "c4", new double[] {0.02}, "c5", new double[] {0.03}, "c6", new double[] {0.01},
        "c7", new double[] {0.02}, "c8", new double[] {0.03}), List.of("c1", "c3", "c6"), "mid");
    runB = dir.resolve("run-b");
    writeRun(runB, "router-b", "http://127.0.0.1:9/route", perCase(0.10), CASES, "high");
    runC = dir.resolve("run-c");
    writeRun(runC, "router-c", "always-low", perCase(0.10), List.of("c1"), "low");
  }

  LoadedBank load() throws IOException {
    return BankLoader.load(bank, TOKENS);
  }

  private static Map<String, double[]> perCase(double cost) {
    Map<String, double[]> out = new java.util.HashMap<>();
    CASES.forEach(c -> out.put(c, new double[] {cost}));
    return out;
  }

  private static String row(String instance, int step, String tier) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", instance + "_s" + step);
    r.put("benchmark", "swebench");
    r.put("instance_id", instance);
    r.put("step_index", step);
    var messages = r.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are a coding agent.");
    messages.addObject().put("role", "user").put("content", "Fix issue " + instance + " step " + step);
    r.put("target_tier", tier);
    r.put("target_tier_id", List.of("low", "mid", "mid_high", "high").indexOf(tier));
    return r.toString();
  }

  private static String pred(String id, String tier) {
    return "{\"id\": \"" + id + "\", \"tier\": \"" + tier + "\"}";
  }

  /** A run directory in the layout live run writes: run.json, results/<id>.json, <id>.trace.jsonl. */
  private static void writeRun(Path dir, String label, String router, Map<String, double[]> costs,
      List<String> resolved, String lastTier) throws IOException {
    Files.createDirectories(dir.resolve("results"));
    Files.writeString(dir.resolve("run.json"),
        JSON.createObjectNode().put("router_label", label).put("router", router).toString());
    for (String c : CASES) {
      ObjectNode result = JSON.createObjectNode();
      result.put("instance_id", c);
      result.put("resolved", resolved.contains(c));
      result.put("patch_applied", true);
      Files.writeString(dir.resolve("results/" + c + ".json"), result.toString());
      List<String> trace = new ArrayList<>();
      double[] steps = costs.get(c);
      for (int i = 0; i < steps.length; i++) {
        ObjectNode s = JSON.createObjectNode();
        s.put("instance_id", c);
        s.put("step_index", i);
        s.put("step_cost_usd", steps[i]);
        s.put("tier", i == steps.length - 1 ? lastTier : "low");
        trace.add(s.toString());
      }
      trace.add("{\"__marker__\": \"loop_summary\", \"instance_id\": \"" + c + "\"}");
      Files.write(dir.resolve(c + ".trace.jsonl"), trace);
    }
  }
}
