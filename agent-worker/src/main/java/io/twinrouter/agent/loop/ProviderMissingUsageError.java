package io.twinrouter.agent.loop;

/**
 * The provider answered without a usable {@code usage} object, so the call cannot be priced. The
 * class name matches the reference's infrastructure probe list, so such cases classify as
 * provider failures the same way.
 */
public final class ProviderMissingUsageError extends RuntimeException {
  public ProviderMissingUsageError(String message) {
    super(message);
  }
}
