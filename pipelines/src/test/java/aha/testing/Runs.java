package aha.testing;

import aha.recipe.Recipe;
import aha.recipe.RecipeLoader;
import aha.stage.Runner;
import aha.stage.StageRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs recipes from text in a temporary folder, as the CLI would. */
public final class Runs {
  private Runs() {}

  public static Path writeRecipe(Path dir, String yaml) throws IOException {
    Path f = dir.resolve("recipe.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  public static List<StageRunner.Result> run(Path recipeFile, Path outputRoot, Runner runner, boolean force, String stage)
      throws Exception {
    Recipe r = RecipeLoader.load(recipeFile);
    // the DirectRunner's immutability/encodability checks stay on in tests: they catch real bugs
    StageRunner.Options o = new StageRunner.Options(runner, null, force, stage, outputRoot, runner == Runner.DIRECT);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    return new StageRunner(o, new PrintStream(log, true, StandardCharsets.UTF_8)).run(r, recipeFile);
  }

  public static List<StageRunner.Result> run(Path recipeFile, Path outputRoot) throws Exception {
    return run(recipeFile, outputRoot, Runner.DIRECT, false, null);
  }
}
