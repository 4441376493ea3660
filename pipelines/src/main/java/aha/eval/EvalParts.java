package aha.eval;

import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.recipe.RecipeLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finished (model, set) parts of an eval run, kept in the stage's state folder so that a rerun
 * after a crash or a kill does not generate them again. A part's name is a hash of everything its
 * rows depend on: the stage config and seed, the labels, the model folder's files (names, sizes,
 * modification times) and the problems; any change gives a new name, so a stale part is never read.
 */
final class EvalParts {
  private final Path dir;

  EvalParts(Path stateDir) {
    this.dir = stateDir.resolve("parts");
  }

  static String key(
      EvalSpec spec, long seed, EvalModel model, Path modelDir, EvalSet set, List<Problem> problems)
      throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    update(d, RecipeLoader.json().writeValueAsString(spec));
    update(d, seed + "|" + model.label() + "|" + set.label());
    try (Stream<Path> files = Files.list(modelDir)) {
      for (Path f : files.sorted().toList()) {
        update(
            d,
            f.getFileName() + "|" + Files.size(f) + "|" + Files.getLastModifiedTime(f).toMillis());
      }
    }
    for (Problem p : problems)
      update(d, p.id() + "|" + p.problem() + "|" + p.answer() + "|" + p.countdown());
    return HexFormat.of().formatHex(d.digest()).substring(0, 32);
  }

  private static void update(MessageDigest d, String s) {
    d.update(s.getBytes(StandardCharsets.UTF_8));
    d.update((byte) 0);
  }

  private Path file(String key) {
    return dir.resolve(key + ".parquet");
  }

  /** The rows of a finished part, or null. */
  List<SampleRow> read(String key) {
    Path f = file(key);
    return Files.isRegularFile(f) ? ParquetFiles.readAll(List.of(f), SampleRow::fromAvro) : null;
  }

  void write(String key, List<SampleRow> rows) throws IOException {
    ParquetFiles.write(file(key), SampleRow.SCHEMA, rows.stream().map(SampleRow::toAvro).toList());
  }

  /** Forgets every part: called once the stage's outputs are complete. */
  void clear() throws IOException {
    if (!Files.isDirectory(dir)) return;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) Files.delete(p);
    }
    Files.delete(dir);
  }
}
