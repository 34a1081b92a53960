package io.twinrouter.config;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How one pool model's requests differ from the paper's defaults (temperature 0, parallel tool
 * calls): models refuse some parameters with a 400 (a reasoning model's temperature, max_tokens
 * where max_completion_tokens is meant), and some providers refuse their own assistant fields
 * sent back (DeepSeek's {@code reasoning_content}).
 *
 * @param params merged into the request body, over the defaults (pool file {@code params})
 * @param dropParams top-level body fields never sent ({@code drop-params})
 * @param headers extra request headers ({@code headers}); a value {@code env:NAME} is read from
 *     the environment at call time and never written anywhere
 * @param strippedFields assistant-message fields removed before a conversation is sent back
 *     ({@code strip-message-fields}, default {@code [reasoning_content]})
 * @param api the wire format of its requests ({@code api}, default {@code openai-chat})
 */
public record RequestShape(Map<String, Object> params, List<String> dropParams,
    Map<String, String> headers, List<String> strippedFields, WireApi api) {

  public static final RequestShape DEFAULT = new RequestShape(
      Map.of(), List.of(), Map.of(), List.of("reasoning_content"), WireApi.OPENAI_CHAT);

  public RequestShape {
    api = api == null ? WireApi.OPENAI_CHAT : api;
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    dropParams = List.copyOf(dropParams);
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    strippedFields = List.copyOf(strippedFields);
    for (String h : headers.keySet()) {
      if (h.toLowerCase(Locale.ROOT).equals("authorization")) {
        throw new IllegalArgumentException(
            "headers: Authorization comes from api-key-env, not from headers");
      }
    }
  }

  /** The environment variable a header value names ({@code env:NAME}), or null for a literal. */
  public static String envName(String headerValue) {
    return headerValue.startsWith("env:") ? headerValue.substring(4) : null;
  }

  /** The headers as sent: {@code env:NAME} values read now, unset ones left out. Never log them. */
  public Map<String, String> resolvedHeaders(Function<String, String> environment) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach((name, value) -> {
      String env = envName(value);
      String resolved = env == null ? value : environment.apply(env);
      if (resolved != null && !resolved.isEmpty()) {
        out.put(name, resolved);
      }
    });
    return out;
  }

  static RequestShape from(Config m) {
    Map<String, Object> params = m.hasPath("params")
        ? m.getConfig("params").root().unwrapped() : Map.of();
    List<String> drop = m.hasPath("drop-params") ? m.getStringList("drop-params") : List.of();
    Map<String, String> headers = new LinkedHashMap<>();
    if (m.hasPath("headers")) {
      m.getConfig("headers").root().forEach((k, v) -> headers.put(k, String.valueOf(v.unwrapped())));
    }
    List<String> stripped = m.hasPath("strip-message-fields")
        ? m.getStringList("strip-message-fields") : DEFAULT.strippedFields();
    WireApi api = m.hasPath("api") ? WireApi.fromLabel(m.getString("api")) : WireApi.OPENAI_CHAT;
    return new RequestShape(params, drop, headers, stripped, api);
  }
}
