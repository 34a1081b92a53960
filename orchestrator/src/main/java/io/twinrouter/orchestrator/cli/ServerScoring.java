package io.twinrouter.orchestrator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinrouter.console.InputException;
import io.twinrouter.scoring.json.PythonJsonWriter;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code static score --server URL}: the same job sent to a running {@code twinrouter serve},
 * which keeps its banks loaded and tokenized. The service must count tokens the way this command
 * would ({@link ServerClient#bankName}). The answer is the summary {@code static score --json}
 * prints, byte for byte.
 */
final class ServerScoring {
  private final ServerClient service;

  ServerScoring(ServerClient service) {
    this.service = service;
  }

  /**
   * The summary of the predictions in {@code predictions} on the served bank, as the bytes the
   * service wrote, with {@code shard} set to {@code shard} when the service's file has another
   * name.
   */
  byte[] score(String bank, Path predictions, String label, long seed, Integer sample,
      String shard) throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder("?label=").append(ServerClient.encode(label))
        .append("&seed=").append(seed);
    if (sample != null) {
      query.append("&sample=").append(sample);
    }
    byte[] body;
    try {
      body = Files.readAllBytes(predictions);
    } catch (NoSuchFileException e) {
      throw new InputException(predictions + ": prediction file not found", e);
    }
    HttpRequest request = service.request(
            "/v1/static/banks/" + ServerClient.encode(bank) + "/score" + query)
        .header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    byte[] summary = service.send(request);
    ObjectNode parsed = (ObjectNode) ServerClient.parse(summary);
    if (shard.equals(parsed.path("shard").asText())) {
      return summary;
    }
    parsed.put("shard", shard);
    return PythonJsonWriter.write(parsed).getBytes(StandardCharsets.UTF_8);
  }
}
