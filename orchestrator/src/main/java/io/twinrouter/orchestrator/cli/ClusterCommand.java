package io.twinrouter.orchestrator.cli;

import io.twinrouter.console.InputException;
import io.twinrouter.orchestrator.cluster.ClusterCerts;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cluster ...}: what a cluster needs before its members start. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Cluster set-up (see 'node' and 'live run --cluster').",
    subcommands = {ClusterCommand.Certs.class})
final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  @Command(
      name = "certs",
      mixinStandardHelpOptions = true,
      description = {
        "Makes the cluster's certificate authority and one directory per member (a PKCS12 keystore"
            + " with the member's key, a truststore with the CA alone, their password).",
        "Copy one member-K directory to each node and client and pass it to --tls; keep DIR/ca"
            + " (the CA's key) off the members' machines: it is needed only to add members."
      })
  static final class Certs implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Where to write ca/, ca.pem and member-1 ... member-N.")
    Path out;

    @Option(names = "--members", required = true, paramLabel = "N",
        description = "How many member directories to make: one per node and one per client.")
    int members;

    @Option(names = "--ca", paramLabel = "DIR",
        description = "Sign with this existing CA (an earlier run's DIR/ca) instead of making one:"
            + " adds members to a running cluster.")
    Path ca;

    @Override
    public Integer call() {
      List<Path> dirs;
      try {
        dirs = ClusterCerts.write(out, members, ca);
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage(), e);
      }
      dirs.forEach(d -> System.out.println(d.toAbsolutePath()));
      System.err.println("cluster certs: " + dirs.size() + " member(s) signed by "
          + (ca == null ? out.resolve("ca") : ca) + "; give each member its directory with --tls");
      return 0;
    }
  }
}
