package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.ParquetFiles;
import aha.dataset.SftExample;
import aha.stage.Manifest;
import aha.testing.Fractions;
import aha.testing.Runs;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare -> generate (a teacher that slips) -> filter with the built-in countdown verifier. */
@Tag("slow")
class RecipeFilterTest {
  @Test
  void theBuiltInVerifierKeepsOnlyCorrectWellFormedTraces(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, """
        name: rf
        seed: 12
        stages:
          - type: prepare
            source: {generator: countdown, count: 120, numbers: 3, max_number: 12, max_target: 60, style: short}
            eval_holdout: 10
          - type: generate
            teacher: {kind: local, slip_rate: 0.4}
            num_generations: 4
            sampling: {temperature: 1.0}
          - type: filter
            verifier: countdown
            require_format: true
        """);
    Runs.run(r, tmp.resolve("out"));
    Path stage = tmp.resolve("out/rf/03-filter");
    var m = Manifest.read(stage);
    assertThat(m.path("counters").path("filter.rejected_incorrect").asLong()).isPositive();
    // generate writes one row per problem with four generations; the filter checks each of them
    long problems = Manifest.read(tmp.resolve("out/rf/02-generate")).path("splits").path("train").path("rows").asLong();
    assertThat(problems).isEqualTo(Manifest.read(tmp.resolve("out/rf/01-prepare")).path("splits").path("train").path("rows").asLong());
    assertThat(m.path("counters").path("filter.input").asLong()).isEqualTo(problems * 4);
    assertThat(m.path("counters").path("filter.problems").asLong()).isEqualTo(problems);
    assertThat(m.path("splits").path("train").path("rows").asLong() + m.path("splits").path("rejected").path("rows").asLong())
        .isEqualTo(problems * 4);
    List<SftExample> kept = ParquetFiles.readAll(ParquetFiles.split(stage.resolve("data"), "train"), SftExample::fromAvro);
    assertThat(kept).isNotEmpty();
    Pattern nums = Pattern.compile("Use (\\d+) (\\d+) (\\d+) to make (\\d+)\\.");
    Pattern answer = Pattern.compile("</think>\\s*<answer>(.*?)</answer>\\s*$", Pattern.DOTALL);
    for (SftExample e : kept) {
      String user = e.messages().get(0).content();
      String assistant = e.messages().get(e.messages().size() - 1).content();
      Matcher q = nums.matcher(user);
      Matcher a = answer.matcher(assistant);
      assertThat(q.matches()).as(user).isTrue();
      assertThat(a.find()).as(assistant).isTrue();
      assertThat(assistant).startsWith("<think>\n");
      assertThat(Fractions.eval(a.group(1))).as(assistant).isEqualTo(Fractions.of(Long.parseLong(q.group(4))));
      assertThat(Fractions.numbersIn(a.group(1))).containsExactlyInAnyOrder(
          Integer.parseInt(q.group(1)), Integer.parseInt(q.group(2)), Integer.parseInt(q.group(3)));
    }
  }
}
