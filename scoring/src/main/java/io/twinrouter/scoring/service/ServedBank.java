package io.twinrouter.scoring.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A bank as the service serves it: its public description and its router-visible rows, computed
 * once at load. Immutable, so routes and jobs share it across threads.
 *
 * @param visibleRows each row without its labels, in file order
 */
@JsonPropertyOrder({"name", "rows", "trajectories", "benchmarks", "sha256"})
public record ServedBank(
    String name,
    int rows,
    int trajectories,
    Map<String, Integer> benchmarks,
    String sha256,
    @JsonIgnore List<JsonNode> visibleRows) {

  /** Fields that carry the gold label: no response of the service ever contains them. */
  public static final Set<String> LABEL_FIELDS = Set.of("target_tier", "target_tier_id");

  public ServedBank {
    benchmarks = Collections.unmodifiableMap(new TreeMap<>(benchmarks));
    visibleRows = List.copyOf(visibleRows);
  }

  /** A copy of each row without the label fields, whatever else the bank module keeps. */
  public static List<JsonNode> withoutLabels(List<? extends JsonNode> rows) {
    List<JsonNode> out = new ArrayList<>(rows.size());
    for (JsonNode row : rows) {
      ObjectNode copy = ((ObjectNode) row).deepCopy();
      copy.remove(LABEL_FIELDS);
      out.add(copy);
    }
    return out;
  }
}
