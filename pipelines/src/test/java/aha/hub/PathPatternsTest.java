package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathPatternsTest {
  @Test
  void followsPythonFnmatchWhereStarCrossesSlashes() {
    PathPatterns json = PathPatterns.of(List.of("*.json"), List.of());
    assertThat(json.matches("config.json")).isTrue();
    assertThat(json.matches("sub/dir/a.json")).isTrue(); // fnmatch's * matches '/'
    assertThat(json.matches("model.safetensors")).isFalse();

    PathPatterns folder = PathPatterns.of(List.of("data/"), List.of("*test*"));
    assertThat(folder.matches("data/train-00000-of-00001.parquet")).isTrue();
    assertThat(folder.matches("data/test-00000-of-00001.parquet")).isFalse();
    assertThat(folder.matches("README.md")).isFalse();

    PathPatterns classes =
        PathPatterns.of(List.of("model-0000[1-2]-of-?????.safetensors", "[!a]*.txt"), null);
    assertThat(classes.matches("model-00001-of-00003.safetensors")).isTrue();
    assertThat(classes.matches("model-00003-of-00003.safetensors")).isFalse();
    assertThat(classes.matches("b.txt")).isTrue();
    assertThat(classes.matches("a.txt")).isFalse();

    assertThat(PathPatterns.of(List.of(), List.of()).matches("anything/at.all")).isTrue();
    assertThat(PathPatterns.of(List.of("a+b(c).txt"), List.of()).matches("a+b(c).txt")).isTrue();
    assertThat(PathPatterns.of(List.of("a+b(c).txt"), List.of()).matches("aab(c).txt")).isFalse();
  }
}
