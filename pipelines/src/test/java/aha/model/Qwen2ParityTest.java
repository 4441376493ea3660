package aha.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Log-probs and logits of the shared qwen2-tiny fixture, computed by an independent PyTorch model.
 */
@Tag("shared")
class Qwen2ParityTest {
  static final Path FIXTURE =
      Path.of(System.getProperty("aha.shared.dir"), "fixtures", "qwen2-tiny");

  static List<JsonNode> expected() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(FIXTURE.resolve("expected_logprobs.jsonl"))) {
      if (!line.isBlank()) rows.add(json.readTree(line));
    }
    return rows;
  }

  static long[] ids(JsonNode row) {
    JsonNode a = row.get("input_ids");
    long[] ids = new long[a.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = a.get(i).asLong();
    return ids;
  }

  @Test
  void logProbsAndTopLogitsMatchPyTorch() throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM lm = Checkpoint.loadModel(FIXTURE, m)) {
      assertThat(lm.config().modelType()).isEqualTo("qwen2");
      assertThat(lm.config().parameterCount()).isEqualTo(99_008);
      List<JsonNode> rows = expected();
      assertThat(rows).hasSize(5);
      for (JsonNode row : rows) {
        long[] ids = ids(row);
        try (NDScope scope = new NDScope()) {
          NDArray logits = lm.forward(m.create(ids, new Shape(1, ids.length)), null, null);
          float[] last = logits.get("0, -1, :").toFloatArray();
          JsonNode top = row.get("last_logits_top5");
          JsonNode topValues = row.get("last_logits_top5_values");
          int[] order = argsortDescending(last);
          for (int k = 0; k < 5; k++) {
            assertThat(order[k]).as(row.get("id") + " top " + k).isEqualTo(top.get(k).asInt());
            assertThat((double) last[order[k]])
                .isCloseTo(topValues.get(k).asDouble(), org.assertj.core.data.Offset.offset(1e-4));
          }
        }
      }
      // scored in one padded batch: padding must not change any row
      List<long[]> seqs = rows.stream().map(Qwen2ParityTest::ids).toList();
      List<float[]> scored = lm.score(seqs, 8);
      for (int r = 0; r < rows.size(); r++) {
        JsonNode want = rows.get(r).get("logprobs");
        assertThat(scored.get(r)).hasSize(want.size());
        for (int t = 0; t < want.size(); t++) {
          assertThat((double) scored.get(r)[t])
              .as(rows.get(r).get("id") + " t=" + t)
              .isCloseTo(want.get(t).asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        }
      }
    }
  }

  static int[] argsortDescending(float[] v) {
    Integer[] idx = new Integer[v.length];
    for (int i = 0; i < v.length; i++) idx[i] = i;
    java.util.Arrays.sort(idx, (a, b) -> Float.compare(v[b], v[a]));
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) out[i] = idx[i];
    return out;
  }
}
