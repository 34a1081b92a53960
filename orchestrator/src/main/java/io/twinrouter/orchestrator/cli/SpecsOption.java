package io.twinrouter.orchestrator.cli;

import io.twinrouter.agent.grading.RepoSpecs;
import io.twinrouter.agent.grading.SpecsFile;
import io.twinrouter.config.InputFormatException;
import io.twinrouter.console.InputException;
import java.nio.file.Path;

/** {@code --specs FILE}: read before any row is, so the support check sees the added specs. */
final class SpecsOption {
  private SpecsOption() {}

  static void add(Path file) {
    if (file == null) {
      return;
    }
    try {
      RepoSpecs.add(SpecsFile.read(file));
    } catch (InputFormatException e) {
      throw new InputException("--specs " + e.getMessage(), e);
    }
  }
}
