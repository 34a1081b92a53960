package io.twinrouter.agent.tasks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the rows of a task file with the line each starts on: a JSON array of objects (the
 * official dataset exported as JSON) or JSON Lines (one object per line, blank lines allowed).
 * The one reader of task files: the task suite and the simulated pool both read through it.
 */
public final class TaskRows {
  // a repeated key or a second value on a line would otherwise be dropped without a word
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  // inside an array the next element is not a trailing token
  private static final ObjectReader ARRAY_ELEMENT =
      JSON.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** One object of the file and the line it starts on. */
  public record Row(ObjectNode fields, int line) {}

  private TaskRows() {}

  /** @throws TaskSuiteException naming the file and, where it applies, the line at fault */
  public static List<Row> read(Path file) {
    String text = readText(file);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<Row> rows = text.stripLeading().startsWith("[") ? readArray(file, text) : readLines(file, text);
    if (rows.isEmpty()) {
      throw new TaskSuiteException(file + ": no tasks in the file");
    }
    return rows;
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new TaskSuiteException(file + ": no such task file");
    } catch (CharacterCodingException e) {
      throw new TaskSuiteException(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new TaskSuiteException(file + ": cannot read the task file: " + e.getMessage(), e);
    }
  }

  private static List<Row> readLines(Path file, String text) {
    List<Row> rows = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int index = 0; index < lines.length; index++) {
      String line = lines[index];
      if (line.isBlank()) {
        continue;
      }
      int lineNumber = index + 1;
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new TaskSuiteException(
            file + ":" + lineNumber + ": not valid JSON: " + e.getOriginalMessage(), e);
      }
      if (!(node instanceof ObjectNode object)) {
        throw new TaskSuiteException(
            file + ":" + lineNumber + ": expected a JSON object (one task per line), got "
                + TaskRowParser.kind(node));
      }
      rows.add(new Row(object, lineNumber));
    }
    return rows;
  }

  private static List<Row> readArray(Path file, String text) {
    List<Row> rows = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(text)) {
      parser.nextToken(); // the opening bracket
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
        int line = parser.currentTokenLocation().getLineNr();
        if (token == null) {
          throw new TaskSuiteException(file + ":" + line + ": the JSON array is not closed");
        }
        JsonNode node = ARRAY_ELEMENT.readTree(parser);
        if (!(node instanceof ObjectNode object)) {
          throw new TaskSuiteException(
              file + ":" + line + ": expected a JSON object for each task, got "
                  + TaskRowParser.kind(node));
        }
        rows.add(new Row(object, line));
      }
      if (parser.nextToken() != null) {
        throw new TaskSuiteException(
            file + ":" + parser.currentTokenLocation().getLineNr() + ": text after the JSON array");
      }
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new TaskSuiteException(file + ":" + line + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new TaskSuiteException(file + ": cannot read the task file: " + e.getMessage(), e);
    }
    return rows;
  }
}
