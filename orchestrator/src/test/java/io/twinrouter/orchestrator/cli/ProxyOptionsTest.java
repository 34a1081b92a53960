package io.twinrouter.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code proxy:} router's set-up mistakes stop the command before anything runs (exit 2, one
 * line naming the option): no proxy listening, no {@code --proxy-model}, proxy options without a
 * proxy.
 */
class ProxyOptionsTest {
  @TempDir Path dir;

  @Test
  void aProxyThatIsNotListeningStopsTheLiveRunBeforeAnyCase() throws Exception {
    int dead = RoutingProxy.freePort();
    Path out = dir.resolve("run");
    ServeCommandTest.Run r = ServeCommandTest.cli("live", "run", "--router",
        "proxy:http://127.0.0.1:" + dead + "/v1", "--proxy-model", "auto", "--sandbox", "local",
        "--out", out.toString());
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("cannot connect to proxy http://127.0.0.1:" + dead), r.err());
    assertFalse(Files.exists(out.resolve("results")));
  }

  @Test
  void aProxyThatIsNotListeningStopsStaticRoute() throws Exception {
    int dead = RoutingProxy.freePort();
    ServeCommandTest.Run r = ServeCommandTest.cli("static", "route", "--bank", "bundled",
        "--router", "proxy:http://127.0.0.1:" + dead + "/v1", "--proxy-model", "auto",
        "--out", dir.resolve("p.jsonl").toString());
    assertEquals(2, r.status(), r.err());
    assertFalse(Files.exists(dir.resolve("p.jsonl")));
  }

  @Test
  void aProxyNeedsItsModelNameAndProxyOptionsNeedAProxy() {
    ServeCommandTest.Run noModel = ServeCommandTest.cli("static", "route", "--bank", "bundled",
        "--router", "proxy:http://127.0.0.1:6060/v1", "--out", dir.resolve("p.jsonl").toString());
    assertEquals(2, noModel.status(), noModel.err());
    assertTrue(noModel.err().contains("--proxy-model"), noModel.err());
    ServeCommandTest.Run notProxy = ServeCommandTest.cli("static", "route", "--bank", "bundled",
        "--router", "always-low", "--proxy-model", "auto",
        "--out", dir.resolve("p.jsonl").toString());
    assertEquals(2, notProxy.status(), notProxy.err());
    assertTrue(notProxy.err().contains("--router proxy:URL"), notProxy.err());
  }
}
