package io.twinrouter.sandbox;

import io.twinrouter.sandbox.local.LocalSandboxProvider;

/** The isolation promises, in the bubblewrap sandbox over the base image's root filesystem. */
class LocalIsolationIT extends IsolationContract {
  @Override
  SandboxProvider newProvider(SandboxSettings s) {
    return LocalSandboxProvider.create(s);
  }
}
