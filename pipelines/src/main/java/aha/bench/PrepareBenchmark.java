package aha.bench;

import aha.prepare.CountdownSource;
import aha.prepare.PrepareSpec;
import aha.recipe.Recipe;
import aha.stage.Runner;
import aha.stage.StageRunner;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Times the prepare stage (generate, de-duplicate, hold out, write Parquet) on the DirectRunner. */
public final class PrepareBenchmark {
  private PrepareBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.out.println("| problems generated | rows written | wall time | problems/s |");
    System.out.println("| ---: | ---: | ---: | ---: |");
    for (int count : new int[] {20_000, 100_000}) {
      Path root = Files.createTempDirectory("aha-bench-prepare");
      Path recipeFile = root.resolve("bench.yaml");
      Files.writeString(recipeFile, "name: bench\n");
      Recipe recipe = new Recipe("bench", 1L, root.toString(), List.of(new PrepareSpec(null,
          new CountdownSource(count, 3, 1, 50, 1, 500, "long"), 1000, true, 4)));
      long t0 = System.nanoTime();
      new StageRunner(new StageRunner.Options(Runner.DIRECT, null, true, null, null, false),
          new PrintStream(OutputStream.nullOutputStream())).run(recipe, recipeFile);
      double s = (System.nanoTime() - t0) / 1e9;
      var m = aha.stage.Manifest.read(root.resolve("bench/01-prepare"));
      long rows = m.path("splits").path("train").path("rows").asLong() + m.path("splits").path("eval").path("rows").asLong();
      System.out.printf("| %,d | %,d | %.1f s | %,.0f |%n", count, rows, s, count / s);
    }
    System.out.println();
    System.out.println("Countdown, 3 numbers in 1..50, targets up to 500, 4 train shards, 1000 held out; "
        + "DirectRunner with immutability/encodability checks off; includes pipeline start-up.");
  }
}
