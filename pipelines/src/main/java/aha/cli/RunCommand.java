package aha.cli;

import aha.recipe.Recipe;
import aha.recipe.RecipeLoader;
import aha.stage.Runner;
import aha.stage.StageRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a recipe's stages in order, writing <output_dir>/<name>/<NN>-<stage>/.",
      "A stage whose _MANIFEST.json matches its config is skipped; one that does not match is an error unless --force."
    },
    footer = {
      "",
      "Examples:",
      "  scripts/aha run recipes/countdown-tiny.yaml",
      "  scripts/aha run recipes/countdown-tiny.yaml --stage prepare --force",
      "  scripts/aha run recipes/countdown-tiny.yaml --runner spark --spark-master 'local[2]'"
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RECIPE", description = "the recipe YAML file")
  Path recipe;

  @Option(names = "--stage", paramLabel = "NAME", description = "run only this stage; its inputs must be finished")
  String stage;

  @Option(names = "--runner", paramLabel = "direct|spark", defaultValue = "direct",
      description = "where the data stages' Beam pipelines run (default: ${DEFAULT-VALUE})")
  String runner;

  @Option(names = "--spark-master", paramLabel = "URL", description = "Spark master for --runner spark (default: local[2])")
  String sparkMaster;

  @Option(names = "--force", description = "rerun stages even when their manifest exists, replacing their outputs")
  boolean force;

  @Option(names = "--output-dir", paramLabel = "DIR", description = "overrides the recipe's output_dir")
  Path outputDir;

  @Override
  public Integer call() throws Exception {
    Recipe r = RecipeLoader.load(recipe);
    StageRunner.Options o = new StageRunner.Options(Runner.parse(runner), sparkMaster, force, stage, outputDir, false);
    new StageRunner(o, System.out).run(r, recipe);
    java.nio.file.Path runDir = StageRunner.runDir(r, o);
    System.out.println("Outputs: " + runDir);
    java.nio.file.Path report = runDir.resolve("report/report.md");
    if (java.nio.file.Files.isRegularFile(report)) System.out.println("Report: " + report);
    return Main.EXIT_OK;
  }
}
