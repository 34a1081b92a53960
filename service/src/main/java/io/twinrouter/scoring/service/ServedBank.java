package io.twinrouter.scoring.service;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.twinrouter.bank.BankRow;
import io.twinrouter.bank.LoadedBank;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A bank as the service serves it: the name it was given ({@code --bank NAME=FILE}) and the
 * immutable loaded bank, with its cached token counts. Shared by routes and jobs across threads.
 */
public record ServedBank(String name, LoadedBank bank, Info info) {

  /**
   * The public description of a bank: what {@code GET /v1/static/banks} lists. {@code tokenizers}
   * tells a client ({@code static score --server}) whether the service counts as it would.
   */
  @JsonPropertyOrder({"name", "file", "rows", "trajectories", "benchmarks", "sha256", "tokenizers"})
  public record Info(
      String name, String file, int rows, int trajectories, Map<String, Integer> benchmarks, String sha256,
      String tokenizers) {}

  public ServedBank {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bank, "bank");
  }

  public static ServedBank of(String name, LoadedBank bank) {
    Map<String, Integer> perBenchmark = new TreeMap<>();
    for (BankRow row : bank.rows()) {
      perBenchmark.merge(row.benchmark(), 1, Integer::sum);
    }
    return new ServedBank(name, bank, new Info(
        name, bank.name(), bank.rowCount(), bank.trajectoryCount(),
        Collections.unmodifiableMap(perBenchmark), bank.sha256(), bank.tokenizers().describe()));
  }

  public int rows() {
    return bank.rowCount();
  }
}
