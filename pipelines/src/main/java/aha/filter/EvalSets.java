package aha.filter;

import aha.BadInputException;
import aha.dataset.ParquetFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads the {@code problem} texts of evaluation sets into a {@link Contamination} index, in the
 * driver: a stage's split ({@code prepare.eval}), a JSONL file, or a Parquet file.
 */
final class EvalSets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EvalSets() {}

  /**
   * @param stageDir resolves a stage reference to its finished folder
   */
  static Contamination index(List<String> against, int ngramSize, Function<String, Path> stageDir) {
    Contamination index = new Contamination(ngramSize);
    for (String ref : against) {
      if (FilterSpec.isFile(ref)) {
        Path file = Path.of(ref);
        if (!Files.isRegularFile(file)) {
          throw new BadInputException("decontaminate.against names " + ref + ", which is not a file (from " + Path.of("").toAbsolutePath() + ")");
        }
        if (ref.endsWith(".parquet")) {
          readParquet(List.of(file), ref, index);
        } else {
          readJsonl(file, ref, index);
        }
      } else {
        String split = ref.contains(".") ? ref.substring(ref.indexOf('.') + 1) : "train";
        Path data = stageDir.apply(ref).resolve("data");
        List<Path> files = ParquetFiles.split(data, split);
        if (files.isEmpty()) throw new BadInputException("decontaminate.against names " + ref + ", but " + data + " has no " + split + " split");
        readParquet(files, ref, index);
      }
    }
    return index;
  }

  private static void readParquet(List<Path> files, String set, Contamination index) {
    for (GenericRecord r : ParquetFiles.readAll(files, Function.identity())) {
      if (r.getSchema().getField("problem") == null) {
        throw new BadInputException(files.get(0) + " has no 'problem' column; decontamination needs the problem text");
      }
      index.add(set, String.valueOf(r.get("problem")));
    }
  }

  private static void readJsonl(Path file, String set, Contamination index) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage());
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      JsonNode n;
      try {
        n = JSON.readTree(lines.get(i));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new BadInputException(file + ":" + (i + 1) + " is not a JSON object (" + e.getOriginalMessage() + ")");
      }
      if (!n.path("problem").isTextual()) {
        throw new BadInputException(file + ":" + (i + 1) + " has no string field 'problem'");
      }
      index.add(set, n.get("problem").asText());
    }
  }
}
