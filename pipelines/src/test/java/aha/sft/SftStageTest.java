package aha.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.model.Checkpoint;
import aha.model.Completion;
import aha.model.Generator;
import aha.model.SamplingParams;
import aha.model.chat.ChatMessage;
import aha.recipe.RecipeError;
import aha.recipe.RecipeLoader;
import aha.stage.Manifest;
import aha.stage.Runner;
import aha.testing.Runs;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sft stage through the StageRunner, on a toy set a small student can learn by heart. */
class SftStageTest {
  static String recipe(String sftKeys) {
    return """
        name: toy
        seed: 3
        stages:
          - type: prepare
            name: filter
            source: {generator: arithmetic, count: 4, digits: 1}
          - type: sft
            model: {init: tiny, hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 128}
            learning_rate: 3.0e-3
            weight_decay: 0.01
            adam_beta2: 0.95
            lr_scheduler_type: cosine_with_min_lr
            min_lr_rate: 0.1
            warmup_ratio: 0.05
            per_device_train_batch_size: 16
            max_length: 96
            eval_fraction: 0.02
            eval_steps: 40
        %s
        """.formatted(sftKeys.indent(4).stripTrailing());
  }

  /**
   * Runs the fake "filter" stage (a prepare stage whose train split is then replaced by
   * conversations in the filter stage's layout), so the sft stage reads it as a finished input.
   */
  static Path prepareInput(Path tmp, Path recipe, Path out, List<List<ChatMessage>> conversations) throws Exception {
    Runs.run(recipe, out, Runner.DIRECT, false, "filter");
    Path data = out.resolve("toy/01-filter/data");
    try (Stream<Path> s = Files.list(data)) {
      for (Path p : s.toList()) Files.delete(p);
    }
    SftFixtures.writeTrain(data.resolve("train-00000-of-00001.parquet"), conversations);
    return out.resolve("toy/02-sft");
  }

  @Test
  @Tag("slow")
  void learnsTheToySetAndTheCheckpointAnswersAndStops(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, recipe("max_steps: 160\nsave_steps: 50"));
    Path out = tmp.resolve("out");
    Path stage = prepareInput(tmp, r, out, SftFixtures.conversations(200));
    Runs.run(r, out, Runner.DIRECT, false, "sft");

    JsonNode m = Manifest.read(stage);
    assertThat(m.path("counters").path("sft.conversations").asLong()).isEqualTo(800);
    assertThat(m.path("counters").path("sft.eval_examples").asLong()).isEqualTo(16);
    assertThat(m.path("counters").path("sft.train_examples").asLong()).isEqualTo(784);
    assertThat(m.path("counters").path("sft.steps").asLong()).isEqualTo(160);
    assertThat(m.path("counters").has("sft.truncated")).isFalse();
    assertThat(m.path("config").path("learning_rate").asDouble()).isEqualTo(3e-3);
    assertThat(m.path("config").path("max_grad_norm").asDouble()).isEqualTo(1.0); // default echoed

    List<JsonNode> rows = MetricsLog.read(stage.resolve("metrics.jsonl"));
    assertThat(rows).hasSize(160);
    assertThat(rows).allSatisfy(row -> assertThat(row.has("loss") && row.has("lr") && row.has("grad_norm")
        && row.has("tokens_per_s")).isTrue());
    double first = rows.get(0).path("loss").asDouble();
    double last = rows.get(159).path("loss").asDouble();
    assertThat(last).isLessThan(first * 0.1);
    assertThat(rows.get(159).path("eval_loss").asDouble()).isLessThan(first * 0.1);
    // resumable state is gone once the stage is complete
    assertThat(out.resolve("toy/.state/02-sft/checkpoints")).doesNotExist();

    try (NDManager nd = NDManager.newBaseManager(); Checkpoint c = Checkpoint.load(stage.resolve("checkpoint"), nd)) {
      assertThat(c.eosTokenIds()).contains(c.tokenizer().tokenId("<|im_end|>"));
      Generator g = new Generator(c.model(), c.tokenizer(), c.eosTokenIds());
      List<String> prompts = SftFixtures.PAIRS.stream()
          .map(p -> c.chatTemplate().render(SftFixtures.conversation(p).subList(0, 2), true)).toList();
      List<Completion> outs = g.generateText(prompts, SamplingParams.greedy(80));
      for (int i = 0; i < prompts.size(); i++) {
        String[] p = SftFixtures.PAIRS.get(i);
        assertThat(outs.get(i).text()).isEqualTo(SftFixtures.conversation(p).get(2).content());
        assertThat(outs.get(i).finishReason()).isEqualTo(Completion.FinishReason.STOP);
        long[] ids = outs.get(i).tokenIds();
        assertThat(ids[ids.length - 1]).isEqualTo(c.tokenizer().tokenId("<|im_end|>").longValue());
      }
    }
    // init/ is the untrained start (eval's base model): same tokenizer, different weights, and it
    // cannot answer what the trained checkpoint answers
    try (NDManager nd = NDManager.newBaseManager();
        Checkpoint init = Checkpoint.load(stage.resolve("init"), nd);
        Checkpoint trained = Checkpoint.load(stage.resolve("checkpoint"), nd)) {
      assertThat(init.tokenizer().tokenId("<|im_end|>")).isEqualTo(trained.tokenizer().tokenId("<|im_end|>"));
      String name = "model.embed_tokens.weight";
      assertThat(init.model().parameters().get(name).toFloatArray())
          .isNotEqualTo(trained.model().parameters().get(name).toFloatArray());
      Generator g = new Generator(init.model(), init.tokenizer(), init.eosTokenIds());
      String[] p = SftFixtures.PAIRS.get(0);
      String prompt = init.chatTemplate().render(SftFixtures.conversation(p).subList(0, 2), true);
      assertThat(g.generateText(List.of(prompt), SamplingParams.greedy(80)).get(0).text())
          .isNotEqualTo(SftFixtures.conversation(p).get(2).content());
    }
  }

  @Test
  @Tag("slow") // two prepare runs and a short sft: ~35 s
  void truncationIsCountedAndBadInputIsRefused(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, recipe("max_steps: 2\nmax_length: 45").replace("    max_length: 96\n", ""));
    Path out = tmp.resolve("out");
    Path stage = prepareInput(tmp, r, out, SftFixtures.conversations(10));
    Runs.run(r, out, Runner.DIRECT, false, "sft");
    JsonNode m = Manifest.read(stage);
    // every toy conversation is 53 tokens long (39 of prompt): all are cut, none loses all its labels
    assertThat(m.path("counters").path("sft.truncated").asLong()).isEqualTo(40);
    assertThat(m.path("counters").path("sft.train_examples").asLong() + m.path("counters").path("sft.eval_examples").asLong())
        .isEqualTo(40);

    // a train split without messages is a clear error naming the file
    Path data = out.resolve("toy/01-filter/data");
    Runs.run(r, tmp.resolve("out2"), Runner.DIRECT, false, "filter");
    Path noMessages = tmp.resolve("out2/toy/01-filter/data");
    assertThatThrownBy(() -> Runs.run(r, tmp.resolve("out2"), Runner.DIRECT, false, "sft"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(noMessages.toString())
        .hasMessageContaining("no 'messages' column");
    assertThat(Files.exists(data)).isTrue();
  }

  @Test
  void validationNamesTheKey() {
    String bad = recipe("max_steps: 2").replace("cosine_with_min_lr", "cosine_min").replace("    learning_rate: 3.0e-3\n", "");
    assertThatThrownBy(() -> RecipeLoader.parse(bad, "r.yaml"))
        .isInstanceOf(RecipeError.class)
        .hasMessageContaining("stages[1].lr_scheduler_type")
        .hasMessageContaining("stages[1].learning_rate");
    String both = recipe("max_steps: 2").replace("model: {init: tiny,", "model: {path: /x, init: tiny,");
    assertThatThrownBy(() -> RecipeLoader.parse(both, "r.yaml"))
        .isInstanceOf(RecipeError.class)
        .hasMessageContaining("stages[1].model");
  }
}
