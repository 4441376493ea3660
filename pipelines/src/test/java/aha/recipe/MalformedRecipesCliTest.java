package aha.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import aha.testing.InProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed recipe of {@link RecipeLoaderTest#malformed()} through the command line, as a
 * user meets it: {@code validate} and {@code run} both exit 2 with one sentence per problem, each
 * on its own line and naming the file, and {@code run} writes nothing.
 */
class MalformedRecipesCliTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("aha.recipe.RecipeLoaderTest#malformed")
  void exitsTwoWithOneLocatedSentence(String title, String yaml, List<String> fragments) throws Exception {
    Path file = tmp.resolve("bad.yaml");
    Files.writeString(file, yaml);
    Path out = tmp.resolve("out");
    for (InProcess.Outcome o : List.of(InProcess.cli("validate", file.toString()),
        InProcess.cli("run", file.toString(), "--output-dir", out.toString()))) {
      assertThat(o.code()).as(o.err()).isEqualTo(2);
      // one located sentence per problem (a recipe with two mistakes names both, one per line)
      assertThat(o.err()).startsWith("aha: " + file);
      assertThat(o.err().lines()).as(o.err()).allMatch(l -> l.startsWith("aha: " + file) || l.startsWith(file.toString()));
      for (String f : fragments) assertThat(o.err()).contains(f);
    }
    assertThat(out).doesNotExist();
  }
}
