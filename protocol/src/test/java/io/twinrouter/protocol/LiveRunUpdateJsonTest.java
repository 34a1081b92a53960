package io.twinrouter.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The run registry's updates cross a cluster as JSON later: each one survives a round trip
 * through Jackson as its interface type, its type tag included.
 */
class LiveRunUpdateJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyUpdateRoundTripsThroughJacksonAsItsInterfaceType() throws Exception {
    CaseReport report = new CaseReport("r", "a__b-1", "always-high", "Submitted", true, true, false,
        0.0125, 4, 3, "diff --git a/x b/x\n", null, null, Map.of("sim-high", 3), 1L, 2L, "/x.json");
    List<LiveRunUpdate> updates = List.of(
        new LiveRunUpdate.RunStarted("r", "always-high", "/runs/r", List.of("a__b-1", "c__d-2"),
            List.of("c__d-2"), "fp", 1, "sim-high", 0.6, 2.5),
        new LiveRunUpdate.RunStarted("r", "always-high", "/runs/r", List.of(), List.of(), "fp", 1,
            "sim-high", 0.6, null),
        new LiveRunUpdate.CaseStarted("r", "a__b-1"),
        new LiveRunUpdate.CaseStepped("r", "a__b-1", 2, 0.01),
        new LiveRunUpdate.CaseRestarting("r", "a__b-1", 1, "infrastructure failure"),
        new LiveRunUpdate.CaseFinished("r", "a__b-1", report, 0.0125, 4, null),
        new LiveRunUpdate.CaseFinished("r", "c__d-2", null, 0.0, 0, "sandbox gone"),
        new LiveRunUpdate.RunFinished("r", true, List.of("e__f-3"), List.of("c__d-2")));
    for (LiveRunUpdate u : updates) {
      String json = JSON.writeValueAsString(u);
      assertTrue(json.contains("\"type\":"), json);
      assertEquals(u, JSON.readValue(json, LiveRunUpdate.class), json);
    }
    assertTrue(JSON.writeValueAsString(updates.get(6)).contains("\"type\":\"case_finished\""));
  }
}
