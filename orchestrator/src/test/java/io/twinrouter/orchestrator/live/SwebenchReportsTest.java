package io.twinrouter.orchestrator.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.twinrouter.config.InputFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report formats an official regrade comes back in, written here in their shape. */
class SwebenchReportsTest {
  @TempDir Path dir;

  @Test
  void readsARunReportWithItsIdLists() throws Exception {
    Path f = Files.writeString(dir.resolve("model.run1.json"), """
        {"total_instances": 4, "completed_instances": 3, "resolved_instances": 1,
         "completed_ids": ["a__b-1", "a__b-2", "a__b-3"], "resolved_ids": ["a__b-2"],
         "unresolved_ids": ["a__b-1", "a__b-3"], "error_ids": ["a__b-4"]}
        """);
    assertEquals(Map.of("a__b-1", false, "a__b-2", true, "a__b-3", false), SwebenchReports.read(f));
  }

  @Test
  void readsPerInstanceReportsFromAFolder() throws Exception {
    Files.writeString(Files.createDirectories(dir.resolve("x/a__b-1")).resolve("report.json"),
        "{\"a__b-1\": {\"patch_is_None\": false, \"resolved\": true}}");
    Files.writeString(Files.createDirectories(dir.resolve("x/a__b-2")).resolve("report.json"),
        "{\"a__b-2\": {\"patch_is_None\": false, \"resolved\": false}}");
    assertEquals(Map.of("a__b-1", true, "a__b-2", false), SwebenchReports.read(dir.resolve("x")));
  }

  @Test
  void aReportWithoutVerdictsIsNamed() throws Exception {
    Path f = Files.writeString(dir.resolve("r.json"), "{\"a__b-1\": {\"resolved\": \"yes\"}}");
    assertEquals("a__b-1.resolved",
        assertThrows(InputFormatException.class, () -> SwebenchReports.read(f)).field());
    Files.createDirectories(dir.resolve("empty"));
    assertThrows(InputFormatException.class, () -> SwebenchReports.read(dir.resolve("empty")));
  }
}
