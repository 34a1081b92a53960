package io.twinrouter.router.catalog;

import io.twinrouter.config.Tier;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterEnvironment;
import io.twinrouter.router.RouterException;
import io.twinrouter.router.builtin.AlwaysTierRouter;
import io.twinrouter.router.builtin.HeuristicRouter;
import io.twinrouter.router.builtin.KnnRouter;
import io.twinrouter.router.builtin.OracleRouter;
import io.twinrouter.router.builtin.RandomRouter;
import io.twinrouter.router.builtin.RoundRobinRouter;
import io.twinrouter.router.http.HttpRouter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every way to name a router, the same wherever a router is named (static route, live run,
 * benchmarks):
 *
 * <ul>
 *   <li>{@code always-low}, {@code always-mid}, {@code always-mid_high}, {@code always-high};
 *   <li>{@code random} (seeded: the same seed, instance and step give the same model);
 *   <li>{@code round-robin} ({@code available_models[step_index mod size]});
 *   <li>{@code heuristic} (rule-based, see {@link HeuristicRouter});
 *   <li>{@code oracle} (gold tier; static track; upper bound);
 *   <li>{@code knn} (in-sample lexical 1-NN; upper bound) and {@code knn-loo} (leaves the asked
 *       trajectory out);
 *   <li>{@code java:fully.qualified.ClassName}: a {@link Router} with a public constructor taking
 *       a {@link RouterEnvironment}, or a public no-argument one;
 *   <li>{@code http://...} or {@code https://...}: an {@link HttpRouter} at that URL.
 * </ul>
 *
 * Every router returned is checked: its answers must name a pool model, and unchecked exceptions
 * of in-process routers become {@link RouterException}s.
 */
public final class Routers {

  /** The built-in names, in the order help texts list them. */
  public static final List<String> BUILT_IN =
      List.of(
          "always-low",
          "always-mid",
          "always-mid_high",
          "always-high",
          "random",
          "round-robin",
          "heuristic",
          "oracle",
          "knn",
          "knn-loo");

  /** Letters, digits, {@code .}, {@code _}, {@code -}: safe in file names, run ids and columns. */
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Routers() {}

  /**
   * The router a name designates; throws {@link IllegalArgumentException} with a one-line
   * explanation (and the accepted names) when it designates none.
   */
  public static Router byName(String nameOrUrl, RouterEnvironment env) {
    return byName(nameOrUrl, null, env);
  }

  /**
   * The same router under the label the user gave it ({@code --router-name}, an evaluation's
   * {@code label}), or its own name when {@code label} is null: a built-in's name, {@code
   * http-PORT} for a URL ({@link HttpRouter#defaultLabel}). The label names the router in run
   * ids, files, leaderboards and gap rows.
   */
  public static Router byName(String nameOrUrl, String label, RouterEnvironment env) {
    if (nameOrUrl == null || nameOrUrl.isBlank()) {
      throw new IllegalArgumentException("no router named; " + choices());
    }
    String name = nameOrUrl.strip();
    return new CheckedRouter(build(name, env), label == null ? null : checkLabel(label));
  }

  /** The label unchanged when it is one; else an {@link IllegalArgumentException} saying why. */
  public static String checkLabel(String label) {
    if (!LABEL.matcher(label).matches()) {
      throw new IllegalArgumentException("router name '" + label + "' must be 1 to 64 letters, "
          + "digits, '.', '_' or '-', starting with a letter or digit");
    }
    return label;
  }

  private static Router build(String name, RouterEnvironment env) {
    if (name.startsWith("http://") || name.startsWith("https://")) {
      return http(name, env);
    }
    if (name.startsWith("java:")) {
      return javaClass(name.substring("java:".length()), env);
    }
    if (name.startsWith("always-")) {
      try {
        return new AlwaysTierRouter(Tier.fromName(name.substring("always-".length())));
      } catch (IllegalArgumentException e) {
        throw unknown(name);
      }
    }
    return switch (name) {
      case "random" -> new RandomRouter(env.seed());
      case "round-robin" -> new RoundRobinRouter();
      case "heuristic" -> new HeuristicRouter(env.tokenCounter());
      case "oracle" -> new OracleRouter(env.labeledPrefixes());
      case "knn" -> new KnnRouter(env.labeledPrefixes(), false);
      case "knn-loo" -> new KnnRouter(env.labeledPrefixes(), true);
      default -> throw unknown(name);
    };
  }

  private static HttpRouter http(String url, RouterEnvironment env) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("router URL '" + url + "' is malformed: " + e.getMessage());
    }
    String token = env.routerTokenEnv() == null ? null : System.getenv(env.routerTokenEnv());
    return new HttpRouter(
        uri,
        new HttpRouter.Options(
            env.selectTimeout(),
            HttpRouter.DEFAULT_MAX_RESPONSE_BYTES,
            token == null || token.isEmpty() ? null : token));
  }

  private static Router javaClass(String className, RouterEnvironment env) {
    Class<?> cls;
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      cls = Class.forName(className, true, loader != null ? loader : Routers.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          "router class '" + className + "' not found on the class path");
    }
    if (!Router.class.isAssignableFrom(cls)) {
      throw new IllegalArgumentException(
          "router class '" + className + "' does not implement " + Router.class.getName());
    }
    try {
      Constructor<?> withEnv = constructor(cls, RouterEnvironment.class);
      Object router =
          withEnv != null ? withEnv.newInstance(env) : constructorOrFail(cls).newInstance();
      return (Router) router;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new IllegalArgumentException(
          "router class '" + className + "' failed to start: " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(
          "router class '" + className + "' cannot be instantiated: " + e, e);
    }
  }

  private static Constructor<?> constructor(Class<?> cls, Class<?>... params) {
    try {
      return cls.getConstructor(params);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static Constructor<?> constructorOrFail(Class<?> cls) {
    Constructor<?> c = constructor(cls);
    if (c == null) {
      throw new IllegalArgumentException(
          "router class '" + cls.getName() + "' needs a public constructor taking a "
              + RouterEnvironment.class.getSimpleName() + " or a public no-argument one");
    }
    return c;
  }

  private static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException("unknown router '" + name + "'; " + choices());
  }

  private static String choices() {
    return "expected one of " + String.join(", ", BUILT_IN)
        + ", java:fully.qualified.ClassName, or an http:// or https:// URL";
  }
}
