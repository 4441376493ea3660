package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.dataset.Completion;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.dataset.ProblemGenerations;
import aha.dataset.SftExample;
import aha.model.TinyStudent;
import aha.model.tokenizer.CharTokenizerJson;
import aha.stage.Runner;
import aha.stage.StageContext;
import aha.stage.StageRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Length bounds in the student's own tokens: a real {@code tokenizer.json} (the tiny recipe's
 * character-level kind, where each reasoning tag is one token) decides, not a character count.
 */
class StudentTokensTest {
  @TempDir static Path tmp;
  static Path tokenizerDir;

  static final Problem P = Rows.countdown("len-1", 16, 3, 5, 2);
  static final String ANSWER = "<answer>(3+5)*2</answer>"; // 1 + 7 + 1 tokens

  @BeforeAll
  static void writeTokenizer() throws Exception {
    tokenizerDir = tmp.resolve("student");
    Files.createDirectories(tokenizerDir);
    Files.writeString(tokenizerDir.resolve("tokenizer.json"), CharTokenizerJson.build(TinyStudent.DEFAULT_ALPHABET,
        CharTokenizerJson.CHATML_SPECIALS, CharTokenizerJson.REASONING_TAGS));
  }

  /** A reasoning of exactly {@code chars} characters of the alphabet (one token each). */
  static String reasoning(int chars) {
    StringBuilder b = new StringBuilder("Try 3+5=8, then 8*2=16. Check it:");
    while (b.length() < chars) b.append(" ok");
    return b.substring(0, chars);
  }

  /** Tokens of the assistant text {@code <think>\nR\n</think>\n<answer>(3+5)*2</answer>}. */
  static int tokens(int reasoningChars) {
    return 1 + 1 + reasoningChars + 1 + 1 + 1 + 9;
  }

  @Test
  void countsAreTheTokenizersAndTagsAreOneToken() throws Exception {
    StudentTokens t = StudentTokens.load(tokenizerDir);
    Completion c = Rows.completion(P, 0, reasoning(40), ANSWER);
    assertThat(t.count(c.assistantText())).isEqualTo(tokens(40)).isEqualTo(54);
    // the four tags are 32 characters but 4 tokens
    assertThat(TokenCounter.CHARS.count(c.assistantText())).isEqualTo(54 + 28);
    assertThat(t.count("")).isZero();
    // shipped to a worker, it counts the same
    var copy = org.apache.beam.sdk.util.SerializableUtils.clone(t);
    assertThat(copy.count(c.assistantText())).isEqualTo(54);
  }

  @Test
  void aFolderWithoutTokenizerJsonIsBadInput() {
    assertThatThrownBy(() -> StudentTokens.load(tmp.resolve("nothing-here")))
        .isInstanceOf(BadInputException.class).hasMessageContaining("nothing-here has no tokenizer.json");
  }

  @Test
  @Tag("slow")
  void aTraceJustOverMaxTokensIsRejectedWithReasonAndOneJustUnderIsKept() throws Exception {
    int max = tokens(60);
    List<Completion> rows = List.of(
        Rows.completion(P, 0, reasoning(59), ANSWER), // max - 1 tokens
        Rows.completion(P, 1, reasoning(60), ANSWER), // exactly max
        Rows.completion(P, 2, reasoning(61), ANSWER)); // max + 1
    Path generate = tmp.resolve("02-generate");
    ParquetFiles.write(generate.resolve("data/train-00000-of-00001.parquet"), ProblemGenerations.SCHEMA,
        List.of(ProblemGenerations.of(rows).toAvro()));
    Files.writeString(generate.resolve("_MANIFEST.json"), "{\"stage\": \"generate\"}");
    Path out = tmp.resolve("03-filter");
    Files.createDirectories(out.resolve("data"));
    StageContext ctx = StageContext.standalone("filter", out, 1, Map.of("generate", generate),
        new StageRunner.Options(Runner.DIRECT, null, false, null, null, false));
    FilterSpec spec = new FilterSpec(null, "generate", "countdown", true, true, null, max, null, true, null, 4, null,
        false, "all", null, null, new FilterSpec.DedupeSpec(false, false, null), null, 1,
        new FilterSpec.TokenizerSpec(tokenizerDir.toString(), null, null));
    new FilterStage((Verifiers) name -> new ExactAnswers(), null).run(spec, ctx);

    List<SftExample> kept = ParquetFiles.readAll(ParquetFiles.split(out.resolve("data"), "train"), SftExample::fromAvro);
    List<RejectedRow> rejected = ParquetFiles.readAll(ParquetFiles.split(out.resolve("data"), "rejected"), RejectedRow::fromAvro);
    assertThat(kept).extracting(SftExample::sampleIndex).containsExactlyInAnyOrder(0, 1);
    assertThat(rejected).singleElement().satisfies(r -> {
      assertThat(r.completion().sampleIndex()).isEqualTo(2);
      assertThat(r.reason()).isEqualTo(Reason.TOO_LONG);
      assertThat(r.detail()).isEqualTo((max + 1) + " tokens");
    });
    // counted in characters, even the shortest trace would have been over the bound
    assertThat(TokenCounter.CHARS.count(rows.get(0).assistantText())).isGreaterThan(max);
    assertThat(ctx.countersSoFar()).containsEntry("filter.rejected_too_long", 1L).containsEntry("filter.kept", 2L);
  }
}
