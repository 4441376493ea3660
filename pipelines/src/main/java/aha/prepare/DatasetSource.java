package aha.prepare;

import aha.recipe.Checks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Problems from a local JSONL or Parquet file ({@code path}, relative to the working directory), or
 * from a Hugging Face Hub dataset ({@code hub: org/name}, its Parquet files for {@code config} and
 * {@code split} at {@code revision}, downloaded into the standard Hub cache; {@code HF_ENDPOINT},
 * {@code HF_TOKEN}, {@code HF_HOME} and {@code HF_HUB_OFFLINE} apply).
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
    String path,
    String hub,
    String config,
    String split,
    String revision,
    Map<String, String> columns,
    List<String> keepColumns,
    String task,
    String sourceName)
    implements ProblemSource {
  static final Set<String> MAPPABLE = Set.of("id", "problem", "answer", "source", "nums", "target");

  public DatasetSource {
    columns = columns == null ? Map.of() : Map.copyOf(columns);
    keepColumns = keepColumns == null ? List.of() : List.copyOf(keepColumns);
    task = task == null ? "math" : task;
    if (hub != null) {
      split = split == null ? "train" : split;
      revision = revision == null ? "main" : revision;
    }
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
    if (path != null && hub != null) c.fail("hub", "cannot be used together with 'path'; choose one");
    if (hub != null && !hub.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?")) {
      c.fail("hub", "must be a Hub dataset id like 'org/name', got '" + hub + "'");
    }
    if (hub == null) {
      if (config != null) c.fail("config", "only applies to 'hub' sources");
      if (split != null) c.fail("split", "only applies to 'hub' sources");
      if (revision != null) c.fail("revision", "only applies to 'hub' sources");
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
