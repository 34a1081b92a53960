package io.twinrouter.router;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.Tier;
import io.twinrouter.config.TwinrouterSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything a router sees before one model call: the fields of live-track spec 1.1 under the
 * same snake_case names, plus {@code track} and, in the static track only, {@code row_id} and
 * {@code benchmark}. This record is the HTTP request body ({@code docs/router-protocol.md}).
 *
 * <p>The message and tool nodes are shared, not copied: routers must not modify them.
 *
 * @param rowId the bank row's {@code id}; static track only (null and omitted in the live track)
 * @param benchmark the bank row's {@code benchmark}; static track only
 * @param messages the conversation that will be sent for this call, OpenAI chat format
 * @param tools tool schemas visible to the model (the row's {@code functions} in the static
 *     track; empty for the mini scaffold)
 */
@JsonPropertyOrder({
  "track", "row_id", "benchmark", "instance_id", "step_index", "messages", "tools",
  "available_models", "cache_state", "budget_so_far_usd", "run_config"
})
public record RouterContext(
    @JsonProperty("track") Track track,
    @JsonProperty("row_id") @JsonInclude(JsonInclude.Include.NON_NULL) String rowId,
    @JsonProperty("benchmark") @JsonInclude(JsonInclude.Include.NON_NULL) String benchmark,
    @JsonProperty("instance_id") String instanceId,
    @JsonProperty("step_index") int stepIndex,
    @JsonProperty("messages") List<JsonNode> messages,
    @JsonProperty("tools") List<JsonNode> tools,
    @JsonProperty("available_models") List<AvailableModel> availableModels,
    @JsonProperty("cache_state") CacheStateSnapshot cacheState,
    @JsonProperty("budget_so_far_usd") double budgetSoFarUsd,
    @JsonProperty("run_config") RunConfig runConfig) {

  public RouterContext {
    Objects.requireNonNull(track, "track");
    messages = List.copyOf(messages == null ? List.of() : messages);
    tools = List.copyOf(tools == null ? List.of() : tools);
    availableModels = List.copyOf(availableModels);
    if (availableModels.isEmpty()) {
      throw new IllegalArgumentException("available_models must not be empty");
    }
    Objects.requireNonNull(cacheState, "cache_state");
    Objects.requireNonNull(runConfig, "run_config");
  }

  /** The pool as routers see it, in pool order, with each model's own locked prices. */
  public static List<AvailableModel> availableModels(ModelPool pool) {
    return availableModels(pool, PoolModel::rates);
  }

  static List<AvailableModel> availableModels(
      ModelPool pool, Function<PoolModel, io.twinrouter.config.Rates> rates) {
    List<AvailableModel> out = new ArrayList<>();
    for (PoolModel m : pool.models()) {
      out.add(new AvailableModel(m.modelId(), m.tier(), ModelPrices.of(rates.apply(m))));
    }
    return out;
  }

  /** A context for a live agent's model call (built by the agent before every call). */
  public static RouterContext live(
      String instanceId,
      int stepIndex,
      List<JsonNode> messages,
      List<JsonNode> tools,
      List<AvailableModel> availableModels,
      CacheStateSnapshot cacheState,
      double budgetSoFarUsd,
      RunConfig runConfig) {
    return new RouterContext(
        Track.LIVE,
        null,
        null,
        instanceId,
        stepIndex,
        messages,
        tools,
        availableModels,
        cacheState,
        budgetSoFarUsd,
        runConfig);
  }

  /**
   * The context of one static-track bank row, with the documented defaults for what a row does
   * not have: no model called yet (every cache view empty, {@code now_ts} 0 so that reruns are
   * byte-identical), nothing spent, the run config of the settings, tools from the row's {@code
   * functions}. Each model's prices are the static track's representative rates of its tier,
   * the rates the static scorer bills with. {@code total_steps} is not sent: it reveals the
   * future of the trajectory.
   */
  public static RouterContext forStaticRow(
      StaticRowView row, ModelPool pool, TwinrouterSettings settings) {
    List<AvailableModel> models =
        availableModels(pool, m -> settings.staticTrack().rates(m.tier()));
    return forStaticRow(row, models, RunConfig.of(settings.liveTrack()));
  }

  public static RouterContext forStaticRow(
      StaticRowView row, List<AvailableModel> availableModels, RunConfig runConfig) {
    return new RouterContext(
        Track.STATIC,
        row.rowId(),
        row.benchmark(),
        row.instanceId(),
        row.stepIndex(),
        elements(row.messages()),
        elements(row.functions()),
        availableModels,
        CacheStateSnapshot.empty(availableModels, runConfig.wallclockTtlSec(), 0.0),
        0.0,
        runConfig);
  }

  private static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(out::add);
    }
    return out;
  }

  /** The pool model with this id, if it is one. */
  public Optional<AvailableModel> model(String modelId) {
    for (AvailableModel m : availableModels) {
      if (m.modelId().equals(modelId)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The first model of a tier in pool order: the tier-to-model map of the reference. */
  public Optional<AvailableModel> modelForTier(Tier tier) {
    for (AvailableModel m : availableModels) {
      if (m.tier() == tier) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  @JsonIgnore
  public List<String> modelIds() {
    return availableModels.stream().map(AvailableModel::modelId).toList();
  }
}
