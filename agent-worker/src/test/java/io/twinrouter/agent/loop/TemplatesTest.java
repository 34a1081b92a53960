package io.twinrouter.agent.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twinrouter.config.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatesTest {

  @Test
  void theInstanceTemplateWrapsTheProblemStatementVerbatim() {
    String issue = "Calling {{task}} breaks $1 and \\n in `foo()`\n\nTraceback...";
    String prompt = Templates.render(Templates.defaults().instance(), Map.of("task", issue));
    assertTrue(prompt.startsWith("<pr_description>\n"), prompt);
    assertTrue(prompt.contains(issue + "\n</pr_description>"), prompt);
    assertTrue(prompt.contains("echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && cat patch.txt"));
    assertTrue(prompt.contains("git diff -- "));
    assertTrue(prompt.contains("THOUGHT"));
  }

  @Test
  void aUserFileOverridesSomeKeysAndKeepsTheRest(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("official.conf");
    Files.writeString(file, "templates.system = \"You are a helpful assistant.\"\n");
    Templates t = Templates.load(file);
    assertEquals("You are a helpful assistant.", t.system());
    assertEquals(Templates.defaults().instance(), t.instance());
  }

  @Test
  void aMissingOrBrokenFileIsNamed(@TempDir Path dir) throws Exception {
    var missing = assertThrows(SettingsException.class, () -> Templates.load(dir.resolve("nope.conf")));
    assertTrue(missing.getMessage().contains("nope.conf"));
    Path broken = dir.resolve("broken.conf");
    Files.writeString(broken, "templates { system = \n");
    var bad = assertThrows(SettingsException.class, () -> Templates.load(broken));
    assertTrue(bad.getMessage().contains("broken.conf"), bad.getMessage());
  }
}
