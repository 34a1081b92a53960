package io.twinrouter.sandbox;

import io.twinrouter.sandbox.docker.DockerSandboxProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The isolation promises, in a container of the base image on the real engine. */
class DockerIsolationIT extends IsolationContract {
  @Override
  SandboxProvider newProvider(SandboxSettings s) {
    return DockerSandboxProvider.connect(s);
  }

  /** The contract opens task images made by the configured method (commit); the other one too. */
  @Test
  void aTaskImageMadeByTheBuilderHoldsNoFutureEither(@TempDir Path tmp) throws Exception {
    DockerSandboxProvider docker = (DockerSandboxProvider) provider;
    FutureRepo repo = FutureRepo.make(tmp, id);
    String image = docker.taskImage(docker.settings().baseImage(), RepoSource.bundle(repo.bundle(), repo.base()), "build");
    try (Sandbox s = provider.open(SandboxSpec.of(runId, "future-build").withImage(image))) {
      assertNoFuture(s, repo);
    } finally {
      docker.removeImage(image);
    }
  }
}
