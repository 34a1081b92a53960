package io.twinrouter.orchestrator.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = TwinrouterCommand.class.getPackage().getImplementationVersion();
    return new String[] {"twinrouter " + (v == null ? "dev" : v)};
  }
}
