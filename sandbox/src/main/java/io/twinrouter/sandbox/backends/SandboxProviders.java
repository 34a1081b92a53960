package io.twinrouter.sandbox.backends;

import io.twinrouter.sandbox.SandboxException;
import io.twinrouter.sandbox.SandboxProvider;
import io.twinrouter.sandbox.SandboxSettings;
import io.twinrouter.sandbox.docker.DockerSandboxProvider;
import io.twinrouter.sandbox.local.LocalSandboxProvider;

/**
 * Picks the backend by name. It lives apart from {@link SandboxProvider} so that the interface
 * knows no implementation: the backends depend on the interface, never the other way round.
 */
public final class SandboxProviders {
  private SandboxProviders() {}

  /** The provider of the configured backend. */
  public static SandboxProvider create(SandboxSettings settings) {
    return create(settings.backend(), settings);
  }

  /** The provider of {@code backend} ({@code docker} or {@code local}). */
  public static SandboxProvider create(String backend, SandboxSettings settings) {
    return switch (backend) {
      case "docker" -> DockerSandboxProvider.connect(settings);
      case "local" -> LocalSandboxProvider.create(settings);
      default -> throw new SandboxException(
          "unknown sandbox backend '" + backend + "' (expected docker or local)");
    };
  }
}
