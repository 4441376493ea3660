package aha.cli;

import aha.BadInputException;
import aha.dataset.ParquetFiles;
import aha.stage.Manifest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Show a stage folder or a Parquet file: the manifest, then per split the schema, row count and first rows.",
    footer = {
      "",
      "Examples:",
      "  scripts/aha inspect datasets/countdown-tiny/01-prepare",
      "  scripts/aha inspect datasets/countdown-tiny/02-generate --rows 1 --width 400",
      "  scripts/aha inspect datasets/countdown-tiny/03-filter          # kept rows, and rejected rows with reasons",
      "  scripts/aha inspect datasets/countdown-tiny/01-prepare/data/train-00000-of-00001.parquet --rows 5"
    })
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PATH", description = "a stage folder, its data/ folder, or a .parquet file")
  Path path;

  @Option(names = "--rows", defaultValue = "3", description = "rows to show per split (default: ${DEFAULT-VALUE})")
  int rows;

  @Option(names = "--width", defaultValue = "160",
      description = "cut strings longer than this many characters, 0 for none (default: ${DEFAULT-VALUE})")
  int width;

  @Override
  public Integer call() throws IOException {
    if (!Files.exists(path)) throw new BadInputException(path + " does not exist");
    if (Files.isRegularFile(path)) {
      show(path.getFileName().toString(), List.of(path));
      return Main.EXIT_OK;
    }
    JsonNode manifest = Manifest.read(path);
    if (manifest != null) {
      System.out.println("== manifest (" + path.resolve(Manifest.FILE) + ")");
      System.out.println(aha.recipe.RecipeLoader.json().writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
    } else if (Files.isDirectory(path.resolve("data"))) {
      System.out.println("== no " + Manifest.FILE + ": this stage did not finish");
    }
    Path data = Files.isDirectory(path.resolve("data")) ? path.resolve("data") : path;
    Map<String, List<Path>> bySplit = new TreeMap<>();
    try (Stream<Path> s = Files.list(data)) {
      s.filter(p -> p.toString().endsWith(".parquet")).sorted().forEach(p -> bySplit
          .computeIfAbsent(p.getFileName().toString().replaceFirst("-\\d{5}-of-\\d{5}\\.parquet$", ""), k -> new java.util.ArrayList<>())
          .add(p));
    }
    if (bySplit.isEmpty() && manifest == null) throw new BadInputException(path + " holds no .parquet files and no " + Manifest.FILE);
    for (var e : bySplit.entrySet()) show(e.getKey(), e.getValue());
    return Main.EXIT_OK;
  }

  private void show(String split, List<Path> files) {
    Schema schema = ParquetFiles.schema(files.get(0));
    long count = files.stream().mapToLong(ParquetFiles::rowCount).sum();
    System.out.println("== " + split + ": " + count + " rows in " + files.size() + " file(s)");
    System.out.println("schema:");
    for (Schema.Field f : schema.getFields()) System.out.println("  " + f.name() + ": " + typeName(f.schema()));
    System.out.println("first rows:");
    int i = 0;
    for (GenericRecord r : ParquetFiles.read(files, r -> r, rows)) {
      System.out.println("  -- row " + i++);
      for (Schema.Field f : r.getSchema().getFields()) System.out.println("    " + f.name() + ": " + brief(r.get(f.name())));
    }
  }

  /**
   * A value on one line: strings quoted with newlines escaped and cut to {@code --width}, lists
   * (a generate row's {@code generations}, {@code finish_reasons}, ...) and structs element by element.
   */
  String brief(Object v) {
    if (v instanceof GenericRecord r) {
      return "{" + String.join(", ", r.getSchema().getFields().stream().map(f -> f.name() + ": " + brief(r.get(f.name()))).toList()) + "}";
    }
    if (v instanceof java.util.Collection<?> c) return "[" + String.join(", ", c.stream().map(this::brief).toList()) + "]";
    if (v instanceof Map<?, ?> m) {
      return "{" + String.join(", ", m.entrySet().stream().map(e -> e.getKey() + ": " + brief(e.getValue())).toList()) + "}";
    }
    if (v instanceof CharSequence cs) {
      String t = cs.toString();
      String cut = width > 0 && t.length() > width ? t.substring(0, width) : t;
      String more = cut.length() < t.length() ? "...(" + (t.length() - cut.length()) + " more chars)" : "";
      return "\"" + cut.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + "\"" + more;
    }
    return String.valueOf(v);
  }

  private static String typeName(Schema s) {
    return switch (s.getType()) {
      case UNION -> s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst()
          .map(InspectCommand::typeName).orElse("null") + " (nullable)";
      case ARRAY -> "list<" + typeName(s.getElementType()) + ">";
      case MAP -> "map<string, " + typeName(s.getValueType()) + ">";
      case RECORD -> "struct<" + String.join(", ", s.getFields().stream().map(f -> f.name() + ": " + typeName(f.schema())).toList()) + ">";
      default -> s.getType().getName();
    };
  }
}
