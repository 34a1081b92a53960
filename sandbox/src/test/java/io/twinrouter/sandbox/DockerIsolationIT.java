package io.twinrouter.sandbox;

import io.twinrouter.sandbox.docker.DockerSandboxProvider;

/** The isolation promises, in a container of the base image on the real engine. */
class DockerIsolationIT extends IsolationContract {
  @Override
  SandboxProvider newProvider(SandboxSettings s) {
    return DockerSandboxProvider.connect(s);
  }
}
