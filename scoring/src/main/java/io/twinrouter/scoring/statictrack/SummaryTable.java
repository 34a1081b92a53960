package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** A human-readable rendering of a summary: headline scores, then one row per benchmark. */
public final class SummaryTable {
  private SummaryTable() {}

  public static String render(JsonNode s) {
    StringBuilder out = new StringBuilder();
    JsonNode v2 = s.get("scores_v2");
    out.append(String.format(Locale.ROOT, "%s on %s: %s, %d rows, %d errors%n",
        s.get("classifier").asText(), s.get("shard").asText(), s.get("sample_mode").asText(),
        s.get("sampled").asInt(), s.get("api_errors").asInt()));
    out.append(String.format(Locale.ROOT, "%n  ROWPASS   %8s%n  ROWEXACT  %8s%n  TRAJPASS  %8s%n"
            + "  COSTSAVE  %8s%n  COMBINED  %8s%n",
        pct(v2.get("case_pass_rate_percent")), pct(v2.get("case_exact_match_percent")),
        pct(v2.get("trajectory_pass_rate_percent")), pct(v2.get("cost_savings_score_percent")),
        pct(v2.get("combined_score_percent"))));
    out.append(String.format(Locale.ROOT, "%n  %-16s %6s %6s %9s %9s %9s %10s%n",
        "benchmark", "rows", "errors", "ROWPASS", "ROWEXACT", "COSTSAVE", "weight"));
    JsonNode details = v2.get("by_benchmark");
    Iterator<Map.Entry<String, JsonNode>> it = s.get("by_benchmark").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode b = e.getValue();
      JsonNode d = details.get(e.getKey());
      int rows = b.get("sampled").asInt();
      int errors = b.get("api_errors").asInt();
      double pass = 100.0 * b.get("passed").asInt() / rows;
      double exact = 100.0 * b.get("exact_match").asInt() / rows;
      out.append(String.format(Locale.ROOT, "  %-16s %6d %6d %9s %9s %9s %10.4f%n",
          e.getKey(), rows, errors, pct(pass), pct(exact),
          pct(d.get("cost_savings_score_percent")),
          d.get("weight_in_global_cost_savings").asDouble()));
    }
    return out.toString();
  }

  private static String pct(JsonNode v) {
    return pct(v.asDouble());
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.2f%%", v);
  }
}
