package aha.stage;

import aha.recipe.RecipeLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * {@code _MANIFEST.json}: the only proof that a stage finished. Written last, through a temporary
 * name; a rerun skips the stage when {@code config_hash} matches.
 *
 * @param config the resolved stage spec, every default filled in
 * @param configHash sha256 of the config, the recipe seed and the inputs' config hashes
 * @param splits rows and files per split of {@code data/}
 */
public record Manifest(
    String ahaVersion,
    String stage,
    String type,
    int index,
    String recipe,
    String recipeSha256,
    long seed,
    JsonNode config,
    String configHash,
    List<Input> inputs,
    Map<String, Split> splits,
    Map<String, Long> counters,
    Map<String, Object> summary,
    Timing timing,
    Map<String, String> versions) {

  public static final String FILE = "_MANIFEST.json";

  /** An earlier stage this one read. */
  public record Input(String stage, String path, String configHash) {}

  /** One split of the stage's dataset. */
  public record Split(long rows, List<String> files) {}

  /** Wall-clock times, ISO-8601, and the duration in seconds. */
  public record Timing(String started, String finished, double seconds) {}

  public void write(Path stageDir) throws IOException {
    Path tmp = stageDir.resolve("." + FILE + ".tmp");
    RecipeLoader.json().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
    Files.move(tmp, stageDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
  }

  /** The manifest of a finished stage folder, or null when there is none. */
  public static JsonNode read(Path stageDir) {
    Path f = stageDir.resolve(FILE);
    if (!Files.isRegularFile(f)) return null;
    try {
      return RecipeLoader.json().readTree(f.toFile());
    } catch (IOException e) {
      throw new aha.BadInputException(f + " is not valid JSON (" + e.getMessage() + "); delete the stage folder or rerun with --force");
    }
  }
}
