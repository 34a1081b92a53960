package io.twinrouter.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.config.RequestShape;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * What is checked of a pool before any case starts, so that a set-up mistake (a key variable
 * not set, a base URL that does not parse, a model name the provider does not know, a usage
 * object that cannot be read) stops the run before money is spent on cases, instead of ending
 * every case as the model's failure. {@link #check} costs nothing; {@link #probe} sends each
 * model one minimal request and says what it cost.
 */
public final class ModelPreflight {
  /**
   * The probe's only message. The simulated pool answers it like a provider answers any prompt
   * (it plays the bundled tasks otherwise), so the same probe runs against it.
   */
  public static final String PROBE = "twinrouter preflight: reply with the single word ok";

  /**
   * @param problems one line per model at fault, naming the model and the field or the
   *     provider's message; empty when every model passed
   * @param costUsd what the answered probes cost, at the pool's locked rates
   */
  public record Report(List<String> problems, double costUsd, int answered) {
    public Report {
      problems = List.copyOf(problems);
    }

    public boolean passed() {
      return problems.isEmpty();
    }
  }

  private ModelPreflight() {}

  /**
   * Every {@code api-key-env} (and every {@code env:NAME} header value) names a variable that is
   * set and not empty, every {@code base-url}
   * parses as an http(s) URL with a host. A model without a base URL (a simulated pool's, before
   * it listens) has no URL to check.
   */
  public static List<String> check(ModelPool pool, Function<String, String> environment) {
    List<String> problems = new ArrayList<>();
    for (PoolModel m : pool.models()) {
      String env = m.apiKeyEnv();
      if (env != null && !env.isEmpty()) {
        String key = environment.apply(env);
        if (key == null) {
          problems.add("model " + m.modelId() + ": api-key-env " + env + " is not set");
        } else if (key.isBlank()) {
          problems.add("model " + m.modelId() + ": api-key-env " + env + " is empty");
        }
      }
      m.request().headers().forEach((name, value) -> {
        String headerEnv = RequestShape.envName(value);
        if (headerEnv != null && (environment.apply(headerEnv) == null
            || environment.apply(headerEnv).isBlank())) {
          problems.add("model " + m.modelId() + ": headers." + name + " names " + headerEnv
              + ", which is not set or empty");
        }
      });
      if (m.baseUrl() != null && !m.baseUrl().isBlank()) {
        urlProblem(m.baseUrl().strip()).ifPresent(p ->
            problems.add("model " + m.modelId() + ": base-url '" + m.baseUrl() + "' " + p));
      }
    }
    return problems;
  }

  private static Optional<String> urlProblem(String url) {
    try {
      URI u = new URI(url);
      if (u.getScheme() == null
          || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))) {
        return Optional.of("does not parse: the scheme must be http or https");
      }
      if (u.getHost() == null || u.getHost().isEmpty()) {
        return Optional.of("does not parse: no host");
      }
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of("does not parse: " + e.getMessage());
    }
  }

  /**
   * One minimal request per model (no tools, the paper's temperature, no token limit, which some
   * models refuse under one name or the other), through a client that retries transient failures
   * briefly: a provider that is down at the start is a set-up problem too.
   */
  public static Report probe(ModelClientSettings s, ModelPool pool) {
    ModelClientSettings brief = s.withRetries(Math.min(s.maxRetries(), 2),
        shorter(s.backoffBase(), Duration.ofMillis(250)), shorter(s.backoffMax(), Duration.ofSeconds(2)));
    List<JsonNode> messages = List.of(JsonNodeFactory.instance.objectNode()
        .put("role", "user").put("content", PROBE));
    RequestOptions options =
        new RequestOptions(0.0, OptionalInt.empty(), Optional.empty(), null, Map.of());
    List<String> problems = new ArrayList<>();
    double cost = 0;
    int answered = 0;
    for (PoolModel m : pool.models()) {
      // a client per model: one model's refusal stops a client, and every model is asked
      try (ModelClient client = ModelClient.create(brief)) {
        try {
          ModelOutcome o = client.complete(m, messages, List.of(), options);
          if (o instanceof ModelTurn t) {
            cost += t.costUsd();
            answered++;
          } else if (o instanceof ModelRequestRejected r) {
            problems.add("model " + m.modelId() + ": HTTP " + r.httpStatus() + " from "
                + m.baseUrl() + ": " + r.detail());
          }
        } catch (ModelSetupException e) {
          problems.add(e.getMessage());
        } catch (ModelUnavailableException e) {
          problems.add("model " + m.modelId() + ": " + e.getMessage());
        }
      }
    }
    return new Report(problems, cost, answered);
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
