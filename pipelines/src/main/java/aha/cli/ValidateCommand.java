package aha.cli;

import aha.recipe.Recipe;
import aha.recipe.RecipeLoader;
import aha.recipe.StageSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a recipe before any compute: unknown keys, wrong types, missing values, ranges, references between stages.",
      "Problems are printed as file:line:column: key.path message; the exit code is 2 when there are any."
    },
    footer = {"", "Example:", "  scripts/aha validate recipes/countdown-tiny.yaml"})
final class ValidateCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RECIPE", description = "the recipe YAML file")
  Path recipe;

  @Override
  public Integer call() {
    Recipe r = RecipeLoader.load(recipe);
    System.out.println(recipe + ": valid; run '" + r.name() + "', seed " + r.seed() + ", stages: "
        + r.stages().stream().map(StageSpec::stageName).collect(Collectors.joining(" -> ")));
    return Main.EXIT_OK;
  }
}
