package aha.prepare;

import aha.BadInputException;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns rows of a user's JSONL or Parquet file into {@link Problem}s by the source's column
 * mapping. {@link #check} scans the file once in the driver so that a bad row is reported as
 * {@code file:line} before the pipeline starts.
 */
final class DatasetRows implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DatasetSource source;
  private final String fallbackSource;

  DatasetRows(DatasetSource source) {
    this.source = source;
    this.fallbackSource = source.sourceName() != null ? source.sourceName()
        : source.hub() != null ? source.hub() : Path.of(source.path()).getFileName().toString();
  }

  boolean isParquet() {
    return source.hub() != null || source.path().endsWith(".parquet");
  }

  /** Throws a {@link BadInputException} naming the first bad line or missing column. */
  void check() {
    check(Path.of(source.path()));
  }

  /** Checks one local file (a Hub dataset's Parquet files are checked one by one). */
  void check(Path file) {
    List<String> required = new ArrayList<>(List.of(source.column("problem")));
    if (source.task().equals("countdown")) {
      required.add(source.column("nums"));
      required.add(source.column("target"));
    } else {
      required.add(source.column("answer"));
    }
    if (isParquet()) {
      Schema schema = ParquetFiles.schema(file);
      for (String c : required) {
        if (schema.getField(c) == null) {
          throw new BadInputException(file + " has no column '" + c + "' (columns: "
              + schema.getFields().stream().map(Schema.Field::name).toList() + "); map it with source.columns");
        }
        String expected = expectedType(c);
        Schema type = nonNull(schema.getField(c).schema());
        if (!matches(type, expected)) {
          throw new BadInputException(file + ": column '" + c + "' has type " + describe(type) + ", expected " + expected);
        }
      }
      return;
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int line = 0;
      int rows = 0;
      for (String s; (s = r.readLine()) != null; ) {
        line++;
        if (s.isBlank()) continue;
        JsonNode n;
        try {
          n = JSON.readTree(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new BadInputException(file + ":" + line + ": not a JSON object (" + e.getOriginalMessage() + ")");
        }
        if (!n.isObject()) throw new BadInputException(file + ":" + line + ": expected a JSON object, got " + n.getNodeType());
        for (String c : required) {
          if (!n.hasNonNull(c)) throw new BadInputException(file + ":" + line + ": missing column '" + c + "'; map it with source.columns");
          if (!matches(n.get(c), expectedType(c))) {
            throw new BadInputException(file + ":" + line + ": column '" + c + "' is " + n.get(c).getNodeType().toString().toLowerCase()
                + ", expected " + expectedType(c));
          }
        }
        rows++;
      }
      if (rows == 0) throw new BadInputException(file + " has no rows");
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage());
    }
  }

  // What each column must hold: problems are text, answers text or a number (GSM8K-style integer
  // answers become text), Countdown's numbers a list of integers and its target an integer.
  private String expectedType(String column) {
    if (column.equals(source.column("nums"))) return "a list of integers";
    if (column.equals(source.column("target"))) return "an integer";
    if (column.equals(source.column("answer"))) return "a string or a number";
    return "a string";
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() != Schema.Type.UNION) return s;
    List<Schema> types = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
    return types.size() == 1 ? types.get(0) : s;
  }

  private static boolean isInteger(Schema s) {
    return s.getType() == Schema.Type.INT || s.getType() == Schema.Type.LONG;
  }

  private static boolean matches(Schema s, String expected) {
    Schema.Type t = s.getType();
    return switch (expected) {
      case "a list of integers" -> t == Schema.Type.ARRAY && isInteger(nonNull(s.getElementType()));
      case "an integer" -> isInteger(s);
      case "a string or a number" -> t == Schema.Type.STRING || isInteger(s) || t == Schema.Type.FLOAT
          || t == Schema.Type.DOUBLE;
      default -> t == Schema.Type.STRING;
    };
  }

  private static boolean matches(JsonNode n, String expected) {
    return switch (expected) {
      case "a list of integers" -> {
        boolean ok = n.isArray();
        for (JsonNode x : n) ok &= x.canConvertToLong() && x.isIntegralNumber();
        yield ok;
      }
      case "an integer" -> n.isIntegralNumber();
      case "a string or a number" -> n.isTextual() || n.isNumber();
      default -> n.isTextual();
    };
  }

  private static String describe(Schema s) {
    return s.getType() == Schema.Type.ARRAY
        ? "list<" + nonNull(s.getElementType()).getType().getName() + ">"
        : s.getType().getName();
  }

  Problem fromJsonLine(String line) {
    try {
      return fromNode(JSON.readTree(line));
    } catch (IOException e) {
      throw new BadInputException(source.path() + ": not a JSON line: " + line);
    }
  }

  Problem fromAvro(GenericRecord r) {
    try {
      return fromNode(JSON.readTree(r.toString()));
    } catch (IOException e) {
      throw new BadInputException(source.path() + ": unreadable row " + r);
    }
  }

  private Problem fromNode(JsonNode n) {
    String problem = n.path(source.column("problem")).asText();
    String answer = text(n.get(source.column("answer")));
    Problem.Countdown countdown = null;
    if (source.task().equals("countdown")) {
      List<Integer> nums = new ArrayList<>();
      n.path(source.column("nums")).forEach(x -> nums.add(x.asInt()));
      int target = n.path(source.column("target")).asInt();
      countdown = new Problem.Countdown(nums, target);
      if (answer == null) answer = Integer.toString(target);
    }
    String id = text(n.get(source.column("id")));
    if (id == null) id = fallbackSource + "-" + shortHash(problem);
    String src = text(n.get(source.column("source")));
    Map<String, String> extra = new TreeMap<>();
    for (String c : source.keepColumns()) {
      JsonNode v = n.get(c);
      if (v != null && !v.isNull()) extra.put(c, v.isTextual() ? v.asText() : v.toString());
    }
    return new Problem(id, problem, answer, src != null ? src : fallbackSource, source.task(), countdown, extra);
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
  }

  private static String shortHash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
