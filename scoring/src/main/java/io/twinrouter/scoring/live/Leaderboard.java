package io.twinrouter.scoring.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ranks live runs by total bill, ascending. Runs priced with different pools are not comparable,
 * so each pricing fingerprint gets a table of its own.
 */
public final class Leaderboard {
  private Leaderboard() {}

  /** Score files grouped by pricing fingerprint, each group sorted by bill (then by label). */
  public static Map<String, List<JsonNode>> rank(List<JsonNode> scores) {
    Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
    for (JsonNode s : scores) {
      groups.computeIfAbsent(s.path("pricing_fingerprint").asText(), k -> new ArrayList<>()).add(s);
    }
    Comparator<JsonNode> byBill =
        Comparator.comparingDouble((JsonNode s) -> s.path("total_leaderboard_bill_usd").asDouble())
            .thenComparing(s -> s.path("router_label").asText());
    groups.values().forEach(g -> g.sort(byBill));
    return groups;
  }

  /** A plain-text table per group, for terminals. */
  public static String render(List<JsonNode> scores) {
    StringBuilder out = new StringBuilder();
    Map<String, List<JsonNode>> groups = rank(scores);
    if (groups.size() > 1) {
      out.append("warning: runs use ")
          .append(groups.size())
          .append(" different pools or price tables (score.json's pricing_fingerprint); they are"
              + " ranked separately\n");
    }
    int group = 0;
    for (var e : groups.entrySet()) {
      // the fingerprint itself is in score.json: a table needs only to say which group it is
      if (groups.size() > 1) {
        out.append("pricing group ").append(++group).append(" of ").append(groups.size()).append('\n');
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%-4s %-24s %10s %9s %9s %10s %9s %7s%n",
              "rank", "router", "bill $", "resolved", "cases", "API $", "penalty $", "steps"));
      int rank = 1;
      for (JsonNode s : e.getValue()) {
        out.append(
            String.format(
                Locale.ROOT,
                "%-4d %-24s %10.4f %8.1f%% %4d/%-4d %10.4f %9.2f %7.1f%n",
                rank++,
                s.path("router_label").asText(),
                s.path("total_leaderboard_bill_usd").asDouble(),
                100.0 * s.path("resolved_rate").asDouble(),
                s.path("resolved_count").asInt(),
                s.path("instance_count").asInt(),
                s.path("total_router_cost_usd").asDouble(),
                s.path("total_penalty_cost_usd").asDouble(),
                s.path("avg_steps").asDouble()));
      }
    }
    return out.toString();
  }
}
