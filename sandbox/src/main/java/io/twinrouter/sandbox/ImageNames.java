package io.twinrouter.sandbox;

import java.util.Locale;

/**
 * SWE-bench's image names ({@code TestSpec.instance_image_key}): {@code
 * sweb.eval.<arch>.<instance id lower-cased>:latest}, and for a remote image (a namespace is
 * given) {@code <namespace>/<that>} with every {@code "__"} replaced by {@code "_1776_"}, as
 * registries refuse a double underscore there. A locally built image keeps the id's {@code "__"}.
 */
public final class ImageNames {
  private ImageNames() {}

  /**
   * The image of an instance. {@code template} holds {@code {id}} where the instance key goes and
   * may hold {@code {arch}} ({@code sweb.eval.{arch}.{id}:latest}); an empty namespace gives a
   * local name without a prefix.
   */
  public static String forInstance(String instanceId, String namespace, String template,
      String arch) {
    if (instanceId == null || instanceId.isBlank()) {
      throw new IllegalArgumentException("instance id is empty");
    }
    if (!template.contains("{id}")) {
      throw new IllegalArgumentException("image template '" + template + "' has no {id}");
    }
    String name = template.replace("{arch}", arch)
        .replace("{id}", instanceId.toLowerCase(Locale.ROOT));
    if (namespace == null || namespace.isEmpty()) {
      return name;
    }
    return (namespace + "/" + name).replace("__", "_1776_");
  }

  public static String forInstance(String instanceId, SandboxSettings settings) {
    return forInstance(instanceId, settings.imageNamespace(), settings.imageTemplate(),
        settings.imageArch());
  }
}
