package io.twinrouter.agent.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionParserTest {

  private final Templates templates = Templates.defaults();
  private final ActionParser tools = new ActionParser(ActionFormat.TOOL_CALLS, templates);
  private final ActionParser text = new ActionParser(ActionFormat.TEXT, templates);
  private final Map<String, Object> usage = Scripted.usage(10, 0, 1);

  @Test
  void toolCallsBecomeActionsInOrder() {
    ParsedActions p = tools.parse(Scripted.bash("THOUGHT: look", usage, "ls -la", "cat a.py"));
    var actions = assertInstanceOf(ParsedActions.Commands.class, p).actions();
    assertEquals(List.of("ls -la", "cat a.py"), actions.stream().map(Action::command).toList());
    assertEquals(List.of("call_0", "call_1"), actions.stream().map(Action::toolCallId).toList());
    assertEquals("{\"command\": \"ls -la\"}", actions.get(0).rawArguments());
  }

  @Test
  void theBashToolIsSentAsTheSameBytesInEveryProcess() throws Exception {
    // Key order fixed (mini's): providers bill the schema's tokens, so it must not vary by JVM.
    assertEquals("{\"type\":\"function\",\"function\":{\"name\":\"bash\",\"description\":"
            + "\"Execute a bash command\",\"parameters\":{\"type\":\"object\",\"properties\":"
            + "{\"command\":{\"type\":\"string\",\"description\":\"The bash command to execute\"}},"
            + "\"required\":[\"command\"]}}}",
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(ActionParser.BASH_TOOL));
  }

  @Test
  void noToolCallsIsAFormatError() {
    ParsedActions p = tools.parse(Scripted.answer("I think we are done.", List.of(), usage));
    String feedback = assertInstanceOf(ParsedActions.FormatError.class, p).feedback();
    assertTrue(feedback.startsWith("Tool call error:"), feedback);
    assertTrue(feedback.contains("<error>\nNo tool calls found"), feedback);
  }

  @Test
  void malformedArgumentsAndWrongToolNameAreReportedTogether() {
    var calls = List.of(
        Scripted.toolCall("a", "bash", "{\"command\": \"ls\"}"),
        Scripted.toolCall("b", "python", "{not json"));
    String feedback = assertInstanceOf(ParsedActions.FormatError.class,
        tools.parse(Scripted.answer("", calls, usage))).feedback();
    assertTrue(feedback.contains("not valid JSON"), feedback);
    assertTrue(feedback.contains("Unknown tool 'python'"), feedback);
  }

  @Test
  void argumentsWithoutCommandAreAFormatError() {
    var calls = List.of(Scripted.toolCall("a", "bash", "{\"cmd\": \"ls\"}"));
    String feedback = assertInstanceOf(ParsedActions.FormatError.class,
        tools.parse(Scripted.answer("", calls, usage))).feedback();
    assertTrue(feedback.contains("no 'command' argument"), feedback);
  }

  @Test
  void textModeNeedsExactlyOneBashBlock() {
    var one = text.parse(Scripted.answer("THOUGHT: x\n\n```mswea_bash_command\nls -la\n```\n", List.of(), usage));
    assertEquals("ls -la", assertInstanceOf(ParsedActions.Commands.class, one).actions().get(0).command());

    var two = text.parse(Scripted.answer("```mswea_bash_command\nls\n```\nand\n```mswea_bash_command\npwd\n```", List.of(), usage));
    assertTrue(assertInstanceOf(ParsedActions.FormatError.class, two).feedback().contains("Found 2 bash"));

    var none = text.parse(Scripted.answer("no code here", List.of(), usage));
    assertTrue(assertInstanceOf(ParsedActions.FormatError.class, none).feedback().contains("Found 0 bash"));
  }
}
