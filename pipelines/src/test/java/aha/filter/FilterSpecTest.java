package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.recipe.Recipe;
import aha.recipe.RecipeError;
import aha.recipe.RecipeLoader;
import aha.recipe.StageTypes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code filter} entry of a recipe: defaults, references and validation messages. */
class FilterSpecTest {
  // the generate stage is not built yet; "prepare" named "generate" stands in for it in references
  private static final String HEAD = """
      name: t
      seed: 1
      stages:
        - type: prepare
          name: generate
          source: {generator: countdown, count: 10}
          eval_holdout: 2
        - type: prepare
          source: {generator: countdown, count: 10}
          eval_holdout: 2
      """;

  private static FilterSpec parse(String filter) {
    Recipe r = RecipeLoader.parse(HEAD + filter, "r.yaml");
    return (FilterSpec) r.stages().get(2);
  }

  @Test
  void defaultsAndReferences() {
    FilterSpec f = parse("""
          - type: filter
            verifier: countdown
            decontaminate: {against: [prepare.eval, ../shared/datasets/math500/test.jsonl]}
        """);
    assertThat(StageTypes.names()).contains("filter");
    assertThat(f.from()).isEqualTo("generate");
    assertThat(f.requireFormat()).isTrue();
    assertThat(f.requireStop()).isTrue();
    assertThat(f.keep()).isEqualTo("all");
    assertThat(f.tokenCounter()).isEqualTo("words");
    assertThat(f.dedupe()).isEqualTo(new FilterSpec.DedupeSpec(true, true, null));
    assertThat(f.decontaminate().ngramSize()).isEqualTo(8);
    assertThat(f.decontaminate().completions()).isFalse();
    assertThat(f.inputs()).containsExactly("generate", "prepare.eval");
    assertThat(f.outputSplits()).containsExactly("train", "rejected");
    assertThat(f.passRate()).isNull();
  }

  @Test
  void everyKey() {
    FilterSpec f = parse("""
          - type: filter
            from: generate
            verifier: math
            require_format: false
            require_stop: false
            min_tokens: 10
            max_tokens: 4096
            token_counter: chars
            reject_mixed_language: false
            max_repetition: 0.4
            repetition_ngram: 3
            max_paragraph_chars: 2000
            reject_code_blocks: true
            keep: shortest
            max_per_problem: 2
            pass_rate: {min: 0.1, max: 0.9}
            dedupe: {problems: true, traces: false, near_threshold: 0.85}
            decontaminate: {ngram_size: 13, against: [prepare.eval], completions: true}
            shards: 4
        """);
    assertThat(f.outputSplits()).containsExactly("train", "rejected", "prompts");
    TraceChecks t = f.traceChecks(TokenCounter.CHARS, null);
    assertThat(t.maxTokens()).isEqualTo(4096);
    assertThat(t.rejectCodeBlocks()).isTrue();
    ProblemGroup g = f.problemGroup(t);
    assertThat(g.keep()).isEqualTo(KeepPolicy.SHORTEST);
    assertThat(g.passRate()).isEqualTo(new PassRate(0.1, 0.9));
    assertThat(g.dedupeTraces()).isFalse();
    assertThat(g.nearThreshold()).isEqualTo(0.85);
  }

  @Test
  void theStudentsTokenizerReplacesTheTokenCounter() {
    FilterSpec f = parse("""
          - type: filter
            verifier: countdown
            max_tokens: 4096
            tokenizer: {hub: Qwen/Qwen2.5-0.5B-Instruct}
        """);
    assertThat(f.tokenizer()).isEqualTo(new FilterSpec.TokenizerSpec(null, "Qwen/Qwen2.5-0.5B-Instruct", "main"));
    assertThat(f.tokenCounter()).isNull();
    assertThat(parse("  - type: filter\n    verifier: math\n    tokenizer: {path: ckpt}\n").tokenizer().path()).isEqualTo("ckpt");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("- type: filter\n", List.of("stages[2].verifier", "is required")),
        Arguments.of("- type: filter\n  verifier: countdwn\n", List.of("stages[2].verifier", "did you mean 'countdown'")),
        Arguments.of("- type: filter\n  verifier: math\n  keep: best\n", List.of("stages[2].keep", "[all, first, shortest]")),
        Arguments.of("- type: filter\n  verifier: math\n  min_tokens: 50\n  max_tokens: 10\n", List.of("stages[2].min_tokens", "must not exceed max_tokens")),
        Arguments.of("- type: filter\n  verifier: math\n  max_repetition: 1.5\n", List.of("stages[2].max_repetition", "[0, 1]")),
        Arguments.of("- type: filter\n  verifier: math\n  pass_rate: {min: 0.2}\n", List.of("stages[2].pass_rate.max", "is required")),
        Arguments.of("- type: filter\n  verifier: math\n  pass_rate: {min: 0.9, max: 0.1}\n", List.of("stages[2].pass_rate.min", "must not exceed max")),
        Arguments.of("- type: filter\n  verifier: math\n  dedupe: {near_threshold: 0}\n", List.of("stages[2].dedupe.near_threshold")),
        Arguments.of("- type: filter\n  verifier: math\n  decontaminate: {ngram_size: 8}\n", List.of("stages[2].decontaminate.against", "is required")),
        Arguments.of("- type: filter\n  verifier: math\n  decontaminate: {against: []}\n", List.of("stages[2].decontaminate.against", "at least one")),
        Arguments.of("- type: filter\n  verifier: math\n  decontaminate: {against: [prepare.test]}\n", List.of("split 'test' of stage 'prepare'")),
        Arguments.of("- type: filter\n  verifier: math\n  from: generat\n", List.of("'generat'", "did you mean 'generate'")),
        Arguments.of("- type: filter\n  verifier: math\n  max_token: 10\n", List.of("stages[2].max_token", "did you mean 'max_tokens'")),
        Arguments.of("- type: filter\n  verifier: math\n  tokenizer: {path: a, hub: b/c}\n", List.of("stages[2].tokenizer", "exactly one of path or hub")),
        Arguments.of("- type: filter\n  verifier: math\n  tokenizer: {}\n", List.of("stages[2].tokenizer", "exactly one of path or hub")),
        Arguments.of("- type: filter\n  verifier: math\n  tokenizer: {path: a, revision: v1}\n", List.of("stages[2].tokenizer.revision", "only to hub")),
        Arguments.of("- type: filter\n  verifier: math\n  tokenizer: {hub: qwen}\n", List.of("stages[2].tokenizer.hub", "repository id")),
        Arguments.of("- type: filter\n  verifier: math\n  token_counter: chars\n  tokenizer: {path: a}\n", List.of("stages[2].token_counter", "cannot be set with tokenizer")),
        Arguments.of("- type: filter\n  verifier: math\n  tokenizer: {pth: a}\n", List.of("stages[2].tokenizer.pth", "did you mean 'path'")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsWithKeyPath(String filter, List<String> fragments) {
    String indented = "  " + filter.replace("\n", "\n  ").stripTrailing() + "\n";
    assertThatThrownBy(() -> RecipeLoader.parse(HEAD + indented, "r.yaml"))
        .isInstanceOf(RecipeError.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
  }
}
