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
      "  scripts/aha run recipes/countdown-tiny.yaml --runner spark --spark-master 'local[2]'",
      "  scripts/aha run recipes/countdown-tiny.yaml --data-stages --runner spark --spark-master spark://127.0.0.1:7077"
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RECIPE", description = "the recipe YAML file")
  Path recipe;

  @Option(names = "--stage", paramLabel = "NAME", description = "run only this stage; its inputs must be finished")
  String stage;

  @Option(names = "--data-stages",
      description = "run only the Beam data stages (prepare, generate, filter) in recipe order; what scripts/spark-submit.sh runs")
  boolean dataStages;

  /** Stage types whose work is a Beam pipeline, so that a Spark cluster does it. */
  static final java.util.Set<String> DATA_STAGE_TYPES = java.util.Set.of("prepare", "generate", "filter");

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
    if (dataStages) {
      if (stage != null) throw new aha.BadInputException("--data-stages and --stage " + stage + " exclude each other; give one");
      var names = r.stages().stream().filter(s -> DATA_STAGE_TYPES.contains(s.type())).map(s -> s.stageName()).toList();
      if (names.isEmpty()) throw new aha.BadInputException(recipe + " has no data stage (" + DATA_STAGE_TYPES + ") for --data-stages");
      // one stage at a time, in recipe order: each finds the ones before it finished
      for (String name : names) {
        new StageRunner(new StageRunner.Options(o.runner(), sparkMaster, force, name, outputDir, false), System.out).run(r, recipe);
      }
    } else {
      new StageRunner(o, System.out).run(r, recipe);
    }
    java.nio.file.Path runDir = StageRunner.runDir(r, o);
    System.out.println("Outputs: " + runDir);
    java.nio.file.Path report = runDir.resolve("report/report.md");
    if (java.nio.file.Files.isRegularFile(report)) System.out.println("Report: " + report);
    return Main.EXIT_OK;
  }
}
