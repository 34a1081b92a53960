package io.twinrouter.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinrouter.config.TwinrouterSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Contexts for tests: live ones made up here, static ones from the parity banks in testdata/. */
public final class Contexts {
  public static final TwinrouterSettings SETTINGS = TwinrouterSettings.load();
  private static final ObjectMapper JSON = RouterJson.mapper();

  private Contexts() {}

  public static List<AvailableModel> models() {
    return RouterContext.availableModels(SETTINGS.pool());
  }

  /** A live context whose messages are the given JSON array text. */
  public static RouterContext live(String instanceId, int step, String messagesJson) {
    List<JsonNode> messages = new ArrayList<>();
    try {
      JSON.readTree(messagesJson).forEach(messages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return RouterContext.live(
        instanceId,
        step,
        messages,
        List.of(),
        models(),
        CacheStateSnapshot.empty(models(), 300, 1.7e9),
        0.25,
        RunConfig.of(SETTINGS.liveTrack()));
  }

  public static RouterContext live(int step) {
    return live(
        "django__django-11133",
        step,
        "[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
            + "{\"role\":\"user\",\"content\":\"Fix the bug.\"}]");
  }

  public static Path testdata() {
    return Path.of(System.getProperty("twinrouter.testdata"));
  }

  /** The rows of a parity bank as raw JSON objects, in file order. */
  public static List<JsonNode> bankRows(String file) {
    try {
      List<JsonNode> rows = new ArrayList<>();
      for (String line :
          Files.readAllLines(
              testdata().resolve("fixtures/static-parity").resolve(file), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          rows.add(JSON.readTree(line));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RouterContext staticContext(JsonNode row) {
    return RouterContext.forStaticRow(StaticRowView.fromJson(row), SETTINGS.pool(), SETTINGS);
  }

  public static List<LabeledPrefix> labels(List<JsonNode> rows) {
    return rows.stream()
        .map(
            r ->
                LabeledPrefix.of(
                    StaticRowView.fromJson(r),
                    io.twinrouter.config.Tier.fromId(r.get("target_tier_id").asInt())))
        .toList();
  }
}
