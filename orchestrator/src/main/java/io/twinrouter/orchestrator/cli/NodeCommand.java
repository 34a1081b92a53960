package io.twinrouter.orchestrator.cli;

import io.twinrouter.agent.journal.JournalDatabase;
import io.twinrouter.config.TwinrouterSettings;
import io.twinrouter.console.InputException;
import io.twinrouter.orchestrator.cluster.ClusterNode;
import io.twinrouter.orchestrator.cluster.ClusterSettings;
import io.twinrouter.scoring.http.HttpSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.ServerBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code node}: one member of a twinrouter cluster, running cases of clustered live runs. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a cluster node (on 127.0.0.1 unless --host says otherwise) that joins the seed nodes and runs cases of live runs"
          + " submitted with 'live run --cluster'. Runs until stopped (Ctrl-C leaves the cluster).",
      "Defaults come from twinrouter.cluster in the configuration (seed-nodes, journal, max-cases)."
    })
final class NodeCommand implements Callable<Integer> {
  @Mixin ClusterMemberOptions member = new ClusterMemberOptions();

  @Option(names = "--port", paramLabel = "P", description = "Artery port (default twinrouter.cluster.port).")
  Integer port;

  @Option(names = "--seed", paramLabel = "HOST:PORT",
      description = "A node to join (repeatable; the first node names itself).")
  List<String> seeds;

  @Option(names = "--journal", paramLabel = "JDBC-URL",
      description = "Shared journal, e.g. jdbc:postgresql://127.0.0.1:5432/twinrouter.")
  String journal;

  @Option(names = "--journal-user", paramLabel = "USER", description = "Journal database user.")
  String journalUser;

  @Option(names = "--max-cases", paramLabel = "N", description = "Cases this node runs at once.")
  Integer maxCases;

  @Option(names = "--http-port", paramLabel = "P",
      description = "Serve the HTTP API (live runs of the cluster: progress, events, scores) on"
          + " --http-host:P; 0 picks a free port, -1 serves none (default twinrouter.cluster.http-port, -1).")
  Integer httpPort;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "This node's private working folder (default twinrouter.cluster.work-dir, else"
          + " twinrouter-node-<addr> in the temporary directory); nothing there outlives a run.")
  String workDir;

  @Option(names = "--http-host", paramLabel = "ADDR",
      description = "Address the HTTP API binds (default twinrouter.cluster.http-host, 127.0.0.1);"
          + " set TWINROUTER_API_TOKEN before binding anything else.")
  String httpHost;

  @Override
  public Integer call() throws Exception {
    TwinrouterSettings settings = TwinrouterSettings.load();
    ClusterSettings cluster = ClusterSettings.from(settings.raw());
    cluster = member.apply(ClusterCli.apply(cluster, port, seeds, maxCases));
    if (httpPort != null) {
      cluster = cluster.withHttpPort(httpPort);
    }
    if (httpHost != null) {
      cluster = cluster.withHttpHost(httpHost);
    }
    if (workDir != null) {
      cluster = cluster.withWorkDir(workDir);
    }
    if (journal != null || journalUser != null) {
      JournalDatabase db = cluster.journal();
      cluster = cluster.withJournal(new JournalDatabase(journal == null ? db.url() : journal,
          journalUser == null ? db.user() : journalUser, db.password()));
    }
    ClusterNode.Handle node;
    try {
      node = ClusterNode.start(cluster, settings);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    System.err.println("node " + cluster.memberAddress() + " up (bound to " + cluster.host()
        + (cluster.tls().isBlank() ? ", plain TCP" : ", TLS with mutual authentication")
        + "), joining " + String.join(", ", cluster.seedNodes()) + "; at most " + cluster.maxCases()
        + " case(s) at once; journal " + cluster.journal().redactedUrl());
    try {
      ServerBinding http = node.http().get();
      if (http != null) {
        System.err.println("node " + cluster.memberAddress() + " serves HTTP on http://"
            + urlHost(cluster.httpHost()) + ":" + http.localAddress().getPort() + " (GET /v1/live/runs)");
        if (!isLoopback(cluster.httpHost())
            && HttpSettings.from(settings.raw()).apiToken().isEmpty()) {
          System.err.printf("twinrouter: warning: HTTP bound to %s without a token; set %s to"
              + " require one%n", cluster.httpHost(), HttpSettings.TOKEN_ENV);
        }
      }
    } catch (ExecutionException e) {
      node.runs().close();
      throw new InputException("cannot listen on " + cluster.httpHost() + ":" + cluster.httpPort()
          + ": " + e.getCause().getMessage(), e.getCause());
    }
    node.system().getWhenTerminated().toCompletableFuture().join();
    node.runs().close();
    return 0;
  }

  private static String urlHost(String h) {
    return h.contains(":") ? "[" + h + "]" : h;
  }

  private static boolean isLoopback(String h) {
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }
}
