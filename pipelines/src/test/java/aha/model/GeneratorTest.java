package aha.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {
  static NDManager manager;
  static CausalLM lm;
  static final List<long[]> PROMPTS =
      List.of(new long[] {5, 9, 3, 17, 22, 8, 4}, new long[] {7}, new long[] {30, 31, 2 + 10, 11});

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    lm = TinyModels.sharp(TinyModels.qwen2(40), 7, manager);
  }

  @AfterAll
  static void tearDown() {
    lm.close();
    manager.close();
  }

  /** Greedy decoding by re-running the whole sequence each step, no cache. */
  static long[] greedyWithoutCache(long[] prompt, int n) {
    List<Long> seq = new ArrayList<>();
    for (long t : prompt) seq.add(t);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      try (NDScope scope = new NDScope()) {
        long[] ids = seq.stream().mapToLong(Long::longValue).toArray();
        NDArray logits = lm.forward(manager.create(ids, new Shape(1, ids.length)), null, null);
        out[i] = TokenSampler.argmax(logits.get("0, -1, :").toFloatArray());
        seq.add(out[i]);
      }
    }
    return out;
  }

  @Test
  void kvCacheGreedyEqualsFullForwardGreedy() {
    Generator g = new Generator(lm, null, Set.of());
    for (long[] prompt : PROMPTS) {
      Completion c = g.generate(List.of(prompt), SamplingParams.greedy(20)).get(0);
      assertThat(c.tokenIds()).containsExactly(greedyWithoutCache(prompt, 20));
      assertThat(c.finishReason()).isEqualTo(Completion.FinishReason.LENGTH);
      assertThat(c.text()).isNull();
    }
  }

  @Test
  void aLeftPaddedBatchGivesEachRowsResultAlone() {
    Generator g = new Generator(lm, null, Set.of());
    List<Completion> batch = g.generate(PROMPTS, SamplingParams.greedy(16));
    for (int r = 0; r < PROMPTS.size(); r++) {
      Completion alone = g.generate(List.of(PROMPTS.get(r)), SamplingParams.greedy(16)).get(0);
      assertThat(batch.get(r).tokenIds()).containsExactly(alone.tokenIds());
      for (int i = 0; i < alone.logprobs().length; i++) {
        assertThat(batch.get(r).logprobs()[i]).isCloseTo(alone.logprobs()[i], within(1e-4f));
      }
    }
    // the rows must not all be the same continuation, or the comparison proves little
    assertThat(batch.get(0).tokenIds()).isNotEqualTo(batch.get(1).tokenIds());
  }

  @Test
  void logprobsAreTheModelsScoresOfTheChosenTokens() {
    Generator g = new Generator(lm, null, Set.of());
    long[] prompt = PROMPTS.get(0);
    Completion c = g.generate(List.of(prompt), SamplingParams.sample(1.0, 1.0, 10, 3)).get(0);
    long[] full = new long[prompt.length + c.tokenIds().length];
    System.arraycopy(prompt, 0, full, 0, prompt.length);
    System.arraycopy(c.tokenIds(), 0, full, prompt.length, c.tokenIds().length);
    float[] scored = lm.score(List.of(full), 1).get(0);
    for (int i = 0; i < c.logprobs().length; i++) {
      assertThat(c.logprobs()[i]).isCloseTo(scored[prompt.length - 1 + i], within(1e-4f));
    }
  }

  @Test
  void seededSamplingRepeatsAndSeedsMatter() {
    Generator g = new Generator(lm, null, Set.of());
    SamplingParams p = SamplingParams.sample(1.0, 0.95, 24, 42);
    List<Completion> a = g.generate(PROMPTS, p);
    List<Completion> b = g.generate(PROMPTS, p);
    List<Completion> c = g.generate(PROMPTS, SamplingParams.sample(1.0, 0.95, 24, 43));
    for (int r = 0; r < PROMPTS.size(); r++) {
      assertThat(a.get(r).tokenIds()).containsExactly(b.get(r).tokenIds());
    }
    assertThat(
            Arrays.equals(a.get(0).tokenIds(), c.get(0).tokenIds())
                && Arrays.equals(a.get(2).tokenIds(), c.get(2).tokenIds()))
        .isFalse();
  }

  @Test
  void eachRowStopsAtItsOwnEos() {
    Generator plain = new Generator(lm, null, Set.of());
    List<Completion> free = plain.generate(PROMPTS, SamplingParams.greedy(12));
    // make row 0's fourth token the EOS: row 0 must stop there, other rows run on unless they meet
    // it
    long eos = free.get(0).tokenIds()[3];
    Generator g = new Generator(lm, null, Set.of((int) eos));
    List<Completion> stopped = g.generate(PROMPTS, SamplingParams.greedy(12));
    Completion row0 = stopped.get(0);
    int firstEos = 0;
    while (free.get(0).tokenIds()[firstEos] != eos) firstEos++;
    assertThat(row0.finishReason()).isEqualTo(Completion.FinishReason.STOP);
    assertThat(row0.tokenIds())
        .containsExactly(Arrays.copyOf(free.get(0).tokenIds(), firstEos + 1));
    for (int r = 1; r < PROMPTS.size(); r++) {
      long[] f = free.get(r).tokenIds();
      int n = 0;
      while (n < f.length && f[n] != eos) n++;
      Completion c = stopped.get(r);
      if (n == f.length) {
        assertThat(c.finishReason()).isEqualTo(Completion.FinishReason.LENGTH);
        assertThat(c.tokenIds()).containsExactly(f);
      } else {
        assertThat(c.tokenIds()).containsExactly(Arrays.copyOf(f, n + 1));
      }
    }
  }

  @Test
  void rowsThatFinishEarlyLeaveTheBatchWithoutChangingTheOthers() {
    List<long[]> prompts = new ArrayList<>();
    for (int r = 0; r < 8; r++) prompts.add(new long[] {3 + r, 11 + 2 * r, 5 + (r * 7) % 13, 20 + r});
    List<Completion> free = new Generator(lm, null, Set.of()).generate(prompts, SamplingParams.greedy(16));
    // the EOS is the token that appears most often early, so several rows stop at different steps
    // and the batch is compacted (at least a quarter finished) while others run on
    Map<Long, Integer> early = new HashMap<>();
    for (Completion c : free) for (int i = 1; i < 6; i++) early.merge(c.tokenIds()[i], 1, Integer::sum);
    long eos = early.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
    Generator g = new Generator(lm, null, Set.of((int) eos));
    List<Completion> batch = g.generate(prompts, SamplingParams.greedy(16));
    long stoppedEarly = batch.stream().filter(c -> c.tokenIds().length < 12).count();
    assertThat(stoppedEarly).isGreaterThanOrEqualTo(2);
    assertThat(batch).anyMatch(c -> c.tokenIds().length > 12);
    for (int r = 0; r < prompts.size(); r++) {
      Completion alone = g.generate(List.of(prompts.get(r)), SamplingParams.greedy(16)).get(0);
      assertThat(batch.get(r).tokenIds()).containsExactly(alone.tokenIds());
      assertThat(batch.get(r).finishReason()).isEqualTo(alone.finishReason());
      for (int i = 0; i < alone.logprobs().length; i++) {
        assertThat(batch.get(r).logprobs()[i]).isCloseTo(alone.logprobs()[i], within(1e-4f));
      }
    }
  }

  @Test
  void topKOneIsGreedy() {
    Generator g = new Generator(lm, null, Set.of());
    SamplingParams topK1 = new SamplingParams(1.5, 1.0, 1, 0, 10, 5, List.of());
    assertThat(g.generate(PROMPTS, topK1).get(0).tokenIds())
        .containsExactly(g.generate(PROMPTS, SamplingParams.greedy(10)).get(0).tokenIds());
  }

  @Test
  void llamaWithoutBiasesAlsoMatchesWithAndWithoutCache() {
    ModelConfig c =
        new ModelConfig(
            "llama", 40, 32, 64, 2, 4, 1, 96, 1e-5, 500000.0, true, false, 1, List.of(2));
    try (CausalLM llama = TinyModels.sharp(c, 3, manager)) {
      assertThat(llama.parameters()).doesNotContainKey("model.layers.0.self_attn.q_proj.bias");
      long[] prompt = {4, 5, 6};
      long[] cached =
          new Generator(llama, null, Set.of())
              .generate(List.of(prompt), SamplingParams.greedy(12))
              .get(0)
              .tokenIds();
      List<Long> seq = new ArrayList<>();
      for (long t : prompt) seq.add(t);
      for (int i = 0; i < 12; i++) {
        try (NDScope scope = new NDScope()) {
          long[] ids = seq.stream().mapToLong(Long::longValue).toArray();
          NDArray logits = llama.forward(manager.create(ids, new Shape(1, ids.length)), null, null);
          seq.add((long) TokenSampler.argmax(logits.get("0, -1, :").toFloatArray()));
        }
      }
      assertThat(cached)
          .containsExactly(seq.subList(3, 15).stream().mapToLong(Long::longValue).toArray());
    }
  }

  @Test
  void stopStringsCutTheTextAndEndTheRow() throws Exception {
    try (var tok =
        aha.model.tokenizer.TextTokenizer.chars(
            "abcdefghijklmnopqrstuvwxyz0123456789 ", List.of("</answer>"), null)) {
      CausalLM small = TinyModels.sharp(TinyModels.qwen2(tok.vocabSize()), 21, manager);
      try (small) {
        Generator g = new Generator(small, tok, Set.of());
        long[] prompt = tok.encode("abc");
        Completion free = g.generate(List.of(prompt), SamplingParams.greedy(30)).get(0);
        assertThat(free.text().length()).isGreaterThan(10); // special tokens drop out of text
        // stop at the text of tokens 5..6 of the free run: the text must end just before it
        String stop = free.text().substring(5, 7);
        int at = free.text().indexOf(stop);
        Completion cut =
            g.generate(List.of(prompt), SamplingParams.greedy(30).withStop(List.of(stop))).get(0);
        assertThat(cut.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(cut.text()).isEqualTo(free.text().substring(0, at));
        // it ended on the token that completed the stop string
        long[] ids = cut.tokenIds();
        assertThat(ids).containsExactly(Arrays.copyOf(free.tokenIds(), ids.length));
        assertThat(tok.decode(ids, true)).endsWith(stop);
        assertThat(tok.decode(Arrays.copyOf(ids, ids.length - 1), true)).doesNotContain(stop);
      }
    }
  }
}
