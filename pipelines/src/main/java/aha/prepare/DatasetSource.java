package aha.prepare;

import aha.recipe.Checks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Problems from a local JSONL or Parquet file ({@code path}, relative to the working directory).
 *
 * @param columns maps aha's columns ({@code id problem answer source nums target}) to the file's
 *     column names; unmapped ones default to the same name, and {@code id} defaults to a hash of
 *     the problem text when the file has none
 * @param keepColumns other columns carried into the {@code extra} map
 * @param task {@code math} (default) or {@code countdown} (then {@code nums} and {@code target} are read)
 * @param sourceName the value of the {@code source} column when the file has none (default: the file name)
 */
// the interface's reader picks this record; this one binds normally
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = com.fasterxml.jackson.databind.JsonDeserializer.None.class)
public record DatasetSource(
    String path, String hub, Map<String, String> columns, List<String> keepColumns, String task, String sourceName)
    implements ProblemSource {
  static final Set<String> MAPPABLE = Set.of("id", "problem", "answer", "source", "nums", "target");

  public DatasetSource {
    columns = columns == null ? Map.of() : Map.copyOf(columns);
    keepColumns = keepColumns == null ? List.of() : List.copyOf(keepColumns);
    task = task == null ? "math" : task;
  }

  /** The file's column holding aha's {@code column}. */
  public String column(String column) {
    return columns.getOrDefault(column, column);
  }

  @Override
  public void validate(Checks c) {
    if (path == null && hub == null) {
      c.fail("", "needs one of 'generator' (" + String.join(", ", new java.util.TreeSet<>(GENERATORS.keySet()))
          + "), 'path' (a JSONL or Parquet file) or 'hub' (a Hub dataset)");
      return;
    }
    if (hub != null) {
      c.fail("hub", "Hub datasets are not supported yet; download the Parquet files and use 'path'");
    }
    if (path != null) {
      if (!path.endsWith(".jsonl") && !path.endsWith(".json") && !path.endsWith(".parquet")) {
        c.fail("path", "must end with .jsonl or .parquet, got '" + path + "'");
      } else if (!Files.isRegularFile(Path.of(path))) {
        c.fail("path", "names a file that does not exist: " + path);
      }
    }
    for (String k : columns.keySet()) {
      if (!MAPPABLE.contains(k)) c.at("columns").oneOf(k, k, new java.util.TreeSet<>(MAPPABLE));
    }
    c.oneOf(task, "task", List.of("math", "countdown"));
  }
}
