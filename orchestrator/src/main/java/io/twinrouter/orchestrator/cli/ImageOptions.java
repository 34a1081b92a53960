package io.twinrouter.orchestrator.cli;

import com.typesafe.config.ConfigFactory;
import io.twinrouter.config.TwinrouterSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How instance images are named, on the command line rather than only in HOCON: the options
 * override {@code twinrouter.sandbox.image-*} for this command.
 */
final class ImageOptions {
  @Option(names = "--image-namespace", paramLabel = "NS",
      description = "Namespace of instance images (default twinrouter.sandbox.image-namespace,"
          + " swebench); an empty one names locally built images, which keep '__' in the id.")
  String namespace;

  @Option(names = "--image-template", paramLabel = "TEMPLATE",
      description = "Image name with {id} and {arch} (default sweb.eval.{arch}.{id}:latest).")
  String template;

  @Option(names = "--arch", paramLabel = "ARCH",
      description = "The {arch} of image names: x86_64 (default) or arm64.")
  String arch;

  /** {@code settings} with the options given on the command line in place of the configured. */
  TwinrouterSettings apply(TwinrouterSettings settings) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (namespace != null) {
      overrides.put("twinrouter.sandbox.image-namespace", namespace);
    }
    if (template != null) {
      if (!template.contains("{id}")) {
        throw new io.twinrouter.console.InputException(
            "--image-template '" + template + "' has no {id}");
      }
      overrides.put("twinrouter.sandbox.image-template", template);
    }
    if (arch != null) {
      if (!arch.matches("[a-z0-9_]+")) {
        throw new io.twinrouter.console.InputException(
            "--arch must be an architecture name such as x86_64 or arm64, got '" + arch + "'");
      }
      overrides.put("twinrouter.sandbox.image-arch", arch);
    }
    if (overrides.isEmpty()) {
      return settings;
    }
    return TwinrouterSettings.from(
        ConfigFactory.parseMap(overrides, "command line").withFallback(settings.raw()));
  }
}
