package aha.eval;

import aha.BadInputException;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Reads an eval set's problems: a stage's Problem split, or a local JSONL file. */
final class EvalProblems {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EvalProblems() {}

  /**
   * @param stageFolder resolves a stage reference to its finished folder
   */
  static List<Problem> load(EvalSet set, Function<String, Path> stageFolder) {
    List<Problem> out;
    if (set.from() != null) {
      Path data = stageFolder.apply(set.from()).resolve("data");
      out =
          new ArrayList<>(
              ParquetFiles.readAll(ParquetFiles.split(data, set.fromSplit()), Problem::fromAvro));
      // by id, so limit picks the same problems however the split was sharded
      out.sort(Comparator.comparing(Problem::id));
      if (out.isEmpty())
        throw new BadInputException(data + " has no " + set.fromSplit() + " problems to evaluate");
    } else {
      out = readJsonl(Path.of(set.path()), set.task(), set.label());
    }
    return set.limit() == null || set.limit() >= out.size() ? out : out.subList(0, set.limit());
  }

  static List<Problem> readJsonl(Path file, String task, String label) {
    if (!Files.isRegularFile(file))
      throw new BadInputException("eval set " + label + ": " + file + " does not exist");
    List<Problem> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String line;
      for (int n = 1; (line = r.readLine()) != null; n++) {
        if (line.isBlank()) continue;
        String where = file + ":" + n;
        JsonNode row;
        try {
          row = JSON.readTree(line);
        } catch (IOException e) {
          throw new BadInputException(where + " is not valid JSON");
        }
        String id = row.hasNonNull("id") ? row.get("id").asText() : label + "-" + n;
        if (!ids.add(id))
          throw new BadInputException(where + ": id '" + id + "' repeats an earlier row");
        String problem = text(row, "problem", where);
        Problem.Countdown countdown = null;
        String answer;
        if (task.equals("countdown")) {
          JsonNode nums = row.get("nums");
          if (nums == null || !nums.isArray() || nums.isEmpty()) {
            throw new BadInputException(where + ": key 'nums' must be a list of integers");
          }
          List<Integer> ns = new ArrayList<>();
          for (JsonNode v : nums) {
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
              throw new BadInputException(
                  where + ": key 'nums' must be a list of integers, got " + nums);
            }
            ns.add(v.asInt());
          }
          JsonNode target = row.get("target");
          if (target == null || !target.isIntegralNumber()) {
            throw new BadInputException(where + ": key 'target' must be an integer");
          }
          countdown = new Problem.Countdown(ns, target.asInt());
          answer = Integer.toString(target.asInt());
        } else {
          answer = text(row, "answer", where);
        }
        out.add(
            new Problem(
                id, problem, answer, file.getFileName().toString(), task, countdown, Map.of()));
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage());
    }
    if (out.isEmpty())
      throw new BadInputException("eval set " + label + ": " + file + " has no rows");
    return out;
  }

  private static String text(JsonNode row, String key, String where) {
    JsonNode v = row.get(key);
    if (v == null || v.isNull() || v.isContainerNode()) {
      throw new BadInputException(where + ": key '" + key + "' must be a string");
    }
    return v.asText();
  }
}
