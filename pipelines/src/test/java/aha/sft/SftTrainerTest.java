package aha.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import aha.WorkFailedException;
import aha.model.Checkpoint;
import aha.model.chat.ChatMessage;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftTrainerTest {
  static final String SPEC = "\"model\": {\"init\": \"tiny\"}, \"learning_rate\": 3e-3, \"weight_decay\": 0.1,"
      + " \"lr_scheduler_type\": \"cosine_with_min_lr\", \"min_lr_rate\": 0.1, \"warmup_ratio\": 0.1,"
      + " \"max_grad_norm\": 0.5, \"gradient_accumulation_steps\": 2, \"per_device_train_batch_size\": 6,"
      + " \"max_steps\": 12, \"eval_steps\": 3, \"save_steps\": 4, \"max_length\": 64";

  static final class Crash extends RuntimeException {}

  @Test
  void aRunResumedAfterACrashGivesTheSameCurveAndWeightsAsAnUninterruptedOne(@TempDir Path tmp) throws Exception {
    List<List<ChatMessage>> convs = SftFixtures.conversations(12);
    SftSpec spec = SftFixtures.spec(SPEC);
    List<JsonNode> clean;
    float[] cleanEmbed;
    try (NDManager m = NDManager.newBaseManager(); Checkpoint c = SftFixtures.tiny(tmp.resolve("a-init"), convs, 5, m)) {
      Student s = SftFixtures.student(c);
      List<Example> ex = SftFixtures.encode(s, convs, 64);
      new SftTrainer(s, ex.subList(4, ex.size()), ex.subList(0, 4), spec, 77, tmp.resolve("a"), "run", null, null)
          .train();
      clean = MetricsLog.read(tmp.resolve("a/metrics.jsonl"));
      cleanEmbed = c.model().parameters().get("model.embed_tokens.weight").toFloatArray();
    }
    assertThat(clean).hasSize(12);
    assertThat(clean.get(0).path("loss").asDouble()).isGreaterThan(clean.get(11).path("loss").asDouble());

    Path state = tmp.resolve("b");
    try (NDManager m = NDManager.newBaseManager(); Checkpoint c = SftFixtures.tiny(tmp.resolve("b-init"), convs, 5, m)) {
      Student s = SftFixtures.student(c);
      List<Example> ex = SftFixtures.encode(s, convs, 64);
      SftTrainer crashing = new SftTrainer(s, ex.subList(4, ex.size()), ex.subList(0, 4), spec, 77, state, "run", null,
          (step, row) -> {
            if (step == 10) throw new Crash();
          });
      assertThatThrownBy(crashing::train).isInstanceOf(Crash.class);
    }
    assertThat(MetricsLog.read(state.resolve("metrics.jsonl"))).hasSize(10);
    assertThat(state.resolve("checkpoints/step-8/trainer_state.json")).exists();
    assertThat(state.resolve("checkpoints/step-4")).exists();

    // the rerun starts from *other* random weights: everything it continues with comes from step-8
    try (NDManager m = NDManager.newBaseManager(); Checkpoint c = SftFixtures.tiny(tmp.resolve("c-init"), convs, 99, m)) {
      Student s = SftFixtures.student(c);
      List<Example> ex = SftFixtures.encode(s, convs, 64);
      SftTrainer.Result r = new SftTrainer(s, ex.subList(4, ex.size()), ex.subList(0, 4), spec, 77, state, "run", null,
          null).train();
      assertThat(r.resumedFrom()).isEqualTo(8);
      float[] resumedEmbed = c.model().parameters().get("model.embed_tokens.weight").toFloatArray();
      for (int i = 0; i < cleanEmbed.length; i++) assertThat(resumedEmbed[i]).isCloseTo(cleanEmbed[i], within(1e-5f));
    }
    List<JsonNode> resumed = MetricsLog.read(state.resolve("metrics.jsonl"));
    assertThat(resumed).hasSize(12);
    for (int i = 0; i < 12; i++) {
      JsonNode a = clean.get(i);
      JsonNode b = resumed.get(i);
      assertThat(b.path("step").asInt()).isEqualTo(i + 1);
      for (String k : List.of("loss", "lr", "grad_norm", "eval_loss")) {
        assertThat(b.has(k)).as("step %d %s", i + 1, k).isEqualTo(a.has(k));
        if (a.has(k)) {
          assertThat(b.path(k).asDouble()).as("step %d %s", i + 1, k)
              .isCloseTo(a.path(k).asDouble(), within(1e-5 * Math.max(1, Math.abs(a.path(k).asDouble()))));
        }
      }
    }
    // eval on steps 3, 6, 9, 12; no checkpoint is written at the last step (the stage saves the model)
    assertThat(resumed.stream().filter(n -> n.has("eval_loss")).map(n -> n.path("step").asInt()))
        .containsExactly(3, 6, 9, 12);
    assertThat(new TrainCheckpoints(state.resolve("checkpoints"), "run", 2).list())
        .containsExactly(state.resolve("checkpoints/step-4"), state.resolve("checkpoints/step-8"));
  }

  @Test
  void aCheckpointReloadsToTheSameWeightsAndOptimizerState(@TempDir Path tmp) throws Exception {
    List<List<ChatMessage>> convs = SftFixtures.conversations(4);
    SftSpec spec = SftFixtures.spec(SPEC.replace("\"max_steps\": 12", "\"max_steps\": 3"));
    try (NDManager m = NDManager.newBaseManager();
        Checkpoint a = SftFixtures.tiny(tmp.resolve("a-init"), convs, 1, m);
        Checkpoint b = SftFixtures.tiny(tmp.resolve("b-init"), convs, 2, m)) {
      Student s = SftFixtures.student(a);
      new SftTrainer(s, SftFixtures.encode(s, convs, 64), List.of(), spec, 3, tmp.resolve("s"), "x", null, null).train();
      AdamW opt = new AdamW(a.model().parameters(), a.model().manager(), 0.9, 0.95, 1e-8, 0.1);
      // give the optimizer non-zero moments: one update from a real gradient
      a.model().parameters().values().forEach(p -> p.setRequiresGradient(true));
      Batch batch = Batch.of(SftFixtures.encode(s, convs, 64), new int[] {0, 1});
      SftTrainer.backward(a.model(), batch, batch.targetCount());
      opt.step(a.model().parameters(), 1e-3, 1.0);
      SftTrainer.zeroGradients(a.model().parameters());
      TrainCheckpoints ck = new TrainCheckpoints(tmp.resolve("ck"), "fp", 2);
      Path dir = ck.save(7, 0, 3, 3, s, opt);

      // the folder is a complete model folder: loading it gives the same weights bit for bit
      try (Checkpoint again = Checkpoint.load(dir, m)) {
        assertThat(SftFixtures.sameWeights(a.model(), again.model())).isTrue();
        assertThat(again.eosTokenIds()).contains(Math.toIntExact(s.endOfTurn()));
      }
      // restoring into another model and optimizer copies weights and moments exactly
      assertThat(SftFixtures.sameWeights(a.model(), b.model())).isFalse();
      AdamW opt2 = new AdamW(b.model().parameters(), b.model().manager(), 0.9, 0.95, 1e-8, 0.1);
      TrainCheckpoints.Saved saved = ck.latest(null);
      assertThat(saved.step()).isEqualTo(7);
      ck.restore(saved, b.model().parameters(), opt2);
      assertThat(SftFixtures.sameWeights(a.model(), b.model())).isTrue();
      assertThat(opt2.steps()).isEqualTo(opt.steps());
      // the same next update from the same gradient gives the same weights: the moments were restored
      b.model().parameters().values().forEach(p -> p.setRequiresGradient(true));
      for (var pair : List.of(new Object[] {a, opt}, new Object[] {b, opt2})) {
        Checkpoint c = (Checkpoint) pair[0];
        SftTrainer.backward(c.model(), batch, batch.targetCount());
        ((AdamW) pair[1]).step(c.model().parameters(), 1e-3, 1.0);
        SftTrainer.zeroGradients(c.model().parameters());
      }
      assertThat(SftFixtures.sameWeights(a.model(), b.model())).isTrue();
      // a checkpoint of another run is deleted, not resumed
      assertThat(new TrainCheckpoints(tmp.resolve("ck"), "other", 2).latest(null)).isNull();
      assertThat(Files.exists(dir)).isFalse();
    }
  }

  @Test
  void aNonFiniteLossStopsWithAClearErrorAndKeepsTheLastCheckpoint(@TempDir Path tmp) throws Exception {
    List<List<ChatMessage>> convs = SftFixtures.conversations(8);
    SftSpec spec = SftFixtures.spec("\"model\": {\"init\": \"tiny\"}, \"learning_rate\": 1e30, \"max_steps\": 20,"
        + " \"save_steps\": 1, \"per_device_train_batch_size\": 8, \"max_grad_norm\": 1e30");
    try (NDManager m = NDManager.newBaseManager(); Checkpoint c = SftFixtures.tiny(tmp.resolve("init"), convs, 1, m)) {
      Student s = SftFixtures.student(c);
      SftTrainer t = new SftTrainer(s, SftFixtures.encode(s, convs, 64), List.of(), spec, 1, tmp.resolve("s"), "x",
          null, null);
      assertThatThrownBy(t::train)
          .isInstanceOf(WorkFailedException.class)
          .hasMessageMatching("(?s)sft: the loss or gradient became (NaN|infinite) at step \\d+ .*The last good checkpoint is .*step-\\d+.*lower learning_rate.*");
      List<JsonNode> rows = MetricsLog.read(t.metricsFile());
      assertThat(rows).isNotEmpty();
      int lastLogged = rows.get(rows.size() - 1).path("step").asInt();
      assertThat(Double.isFinite(rows.get(rows.size() - 1).path("loss").asDouble())).isTrue();
      assertThat(tmp.resolve("s/checkpoints/step-" + lastLogged + "/model.safetensors")).exists();
      // save_total_limit (default 2): older checkpoints were pruned
      assertThat(t.checkpoints().list()).hasSize(Math.min(2, lastLogged));
    }
  }

}
