package io.twinrouter.scoring.gap;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The gap report as plain-text tables, for terminals. */
public final class GapTable {
  private GapTable() {}

  public static String render(JsonNode report) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "bank %s (%d rows); live bill penalty $%.2f per unresolved case%n%n",
        report.path("bank").asText(), report.path("bank_rows").asInt(),
        report.path("settings").path("failure_penalty_usd").asDouble()));
    out.append(String.format(Locale.ROOT, "%-20s %7s %7s %7s %7s %7s | %9s %-17s %9s %9s %-6s | %6s %6s %s%n",
        "router", "ROWPASS", "EXACT", "TRAJ", "SAVE", "COMB", "resolved", "95% CI", "API $", "bill $",
        "pareto", "agree", "kappa", "joined"));
    for (JsonNode r : report.path("routers")) {
      JsonNode s = r.path("static");
      JsonNode l = r.path("live");
      JsonNode a = r.path("agreement");
      out.append(String.format(Locale.ROOT, "%-20s %7s %7s %7s %7s %7s | %4d/%-4d %-17s %9.4f %9.4f %-6s | %6s %6s %d/%d%n",
          r.path("router").asText(),
          pct(s.path("case_pass_rate_percent")), pct(s.path("case_exact_match_percent")),
          pct(s.path("trajectory_pass_rate_percent")), pct(s.path("cost_savings_score_percent")),
          pct(s.path("combined_score_percent")),
          l.path("resolved").asInt(), l.path("cases").asInt(),
          "[" + rate(l.path("resolved_rate_low")) + ", " + rate(l.path("resolved_rate_high")) + "]",
          l.path("api_cost_usd").asDouble(), l.path("bill_usd").asDouble(),
          l.path("pareto_optimal").asBoolean() ? "yes" : "no",
          rate(a.path("rate")), num(a.path("kappa")),
          a.path("cases_joined").asInt(), l.path("cases").asInt()));
    }
    for (JsonNode r : report.path("routers")) {
      JsonNode why = r.path("agreement").path("kappa_undefined");
      if (why.isTextual()) {
        out.append(String.format(Locale.ROOT, "%s: kappa undefined (-): %s%n", r.path("router").asText(), why.asText()));
      }
    }
    for (JsonNode r : report.path("routers")) {
      JsonNode missing = r.path("agreement").path("cases_without_bank_rows");
      if (missing.size() > 0) {
        out.append(String.format(Locale.ROOT, "%s: %d live case(s) have no bank rows, left out of the agreement: ",
            r.path("router").asText(), missing.size()));
        for (int i = 0; i < missing.size(); i++) {
          out.append(i == 0 ? "" : ", ").append(missing.get(i).asText());
        }
        out.append('\n');
      }
    }
    if (report.path("pairs").size() > 0) {
      out.append(String.format(Locale.ROOT, "%n%-20s %-20s %5s %8s %6s %6s %9s %9s%n",
          "router A", "router B", "cases", "A - B", "A only", "B only", "McNemar p", "MDD 80%"));
      for (JsonNode p : report.path("pairs")) {
        out.append(String.format(Locale.ROOT, "%-20s %-20s %5d %8s %6d %6d %9.4f %9s%n",
            p.path("a").asText(), p.path("b").asText(), p.path("cases").asInt(),
            rate(p.path("difference")), p.path("only_a").asInt(), p.path("only_b").asInt(),
            p.path("mcnemar_p").asDouble(), rate(p.path("min_detectable_difference"))));
      }
      out.append("MDD 80%: the smallest difference in resolve rate these cases detect with 80% power "
          + "(two-sided 5%, McNemar); '-' when none can be.\n");
    }
    return out.toString();
  }

  private static String pct(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.1f", n.asDouble()) : "-";
  }

  private static String rate(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.1f%%", 100 * n.asDouble()) : "-";
  }

  private static String num(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.3f", n.asDouble()) : "-";
  }
}
