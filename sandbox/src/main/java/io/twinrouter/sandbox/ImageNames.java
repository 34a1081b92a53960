package io.twinrouter.sandbox;

import java.util.Locale;

/**
 * SWE-bench's image names: {@code <namespace>/sweb.eval.x86_64.<instance id lower-cased, "__"
 * replaced by "_1776_">:latest} (SWE-bench {@code make_test_spec} with a namespace).
 */
public final class ImageNames {
  private ImageNames() {}

  /**
   * The image of an instance. {@code template} holds {@code {id}} where the instance key goes
   * ({@code sweb.eval.x86_64.{id}:latest}); an empty namespace gives a name without a prefix.
   */
  public static String forInstance(String instanceId, String namespace, String template) {
    if (instanceId == null || instanceId.isBlank()) {
      throw new IllegalArgumentException("instance id is empty");
    }
    if (!template.contains("{id}")) {
      throw new IllegalArgumentException("image template '" + template + "' has no {id}");
    }
    String key = instanceId.toLowerCase(Locale.ROOT).replace("__", "_1776_");
    String name = template.replace("{id}", key);
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  public static String forInstance(String instanceId, SandboxSettings settings) {
    return forInstance(instanceId, settings.imageNamespace(), settings.imageTemplate());
  }
}
