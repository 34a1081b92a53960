package io.twinrouter.sandbox.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.PullResponseItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pull's progress from the lines an engine streams while pulling (its JSON, read by
 * docker-java's own model): bytes per layer summed, and a pull that cannot fit stopped.
 */
class PullProgressTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final List<String> PULL = List.of(
      "{\"status\":\"Pulling from swebench/sweb.eval.x86_64.acme_1776_widgets-1\",\"id\":\"latest\"}",
      "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"a1\"}",
      "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"b2\"}",
      "{\"status\":\"Already exists\",\"progressDetail\":{},\"id\":\"c3\"}",
      "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1048576,\"total\":4194304},\"id\":\"a1\"}",
      "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":2097152,\"total\":8388608},\"id\":\"b2\"}",
      "{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"a1\"}",
      "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":8388608,\"total\":8388608},\"id\":\"b2\"}",
      "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"b2\"}");

  private static void feed(PullProgress p, List<String> lines) throws Exception {
    for (String l : lines) {
      p.onNext(JSON.readValue(l, PullResponseItem.class));
    }
  }

  @Test
  void sumsTheLayersAsTheEngineReportsThem() throws Exception {
    List<long[]> seen = new ArrayList<>();
    PullProgress p = new PullProgress("img", (image, done, total) -> seen.add(new long[] {done, total}),
        -1);
    feed(p, PULL);
    long[] last = seen.get(seen.size() - 1);
    assertEquals(12L << 20, last[0], "every byte of both layers");
    assertEquals(12L << 20, last[1]);
    assertEquals(List.of(1L << 20, 4L << 20), List.of(seen.get(4)[0], seen.get(4)[1]));
    assertEquals(List.of(3L << 20, 12L << 20), List.of(seen.get(5)[0], seen.get(5)[1]));
    assertEquals(List.of(6L << 20, 12L << 20), List.of(seen.get(6)[0], seen.get(6)[1]),
        "a finished layer counts whole");
    assertTrue(p.refusal().isEmpty());
  }

  @Test
  void aPullLargerThanTheFreeDiskIsStoppedWithWhy() throws Exception {
    PullProgress p = new PullProgress("swebench/big:latest", (i, d, t) -> {}, 10L << 20);
    feed(p, PULL.subList(0, 5));
    assertTrue(p.refusal().isEmpty(), "4 MiB known so far fit in 10 MiB");
    feed(p, PULL.subList(5, 6));
    assertEquals("image swebench/big:latest does not fit: its compressed layers alone are 12 MiB"
        + " and the disk the engine keeps images on has 10 MiB free (docker image prune, or"
        + " ./twinrouter images prune --tasks FILE, make room)", p.refusal().orElseThrow());
  }
}
