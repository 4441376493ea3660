package aha.model;

import aha.BadInputException;
import aha.model.tokenizer.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Batched sampling with the KV cache. Prompts of different lengths are <b>left-padded</b> to the
 * longest one and masked; positions count real tokens only, so each row computes what it would
 * alone. One forward per new token for the rows still running: once a quarter of the batch has
 * finished, the finished rows are dropped from the batch and the cache (each row's numbers do not
 * depend on its neighbours, and each row samples from its own seeded generator), so a long straggler
 * does not make the whole batch pay for max_new_tokens.
 */
public final class Generator {
  private final CausalLM model;
  private final TextTokenizer tokenizer;
  private final Set<Integer> eosTokenIds;

  /**
   * @param tokenizer decodes text and finds stop strings; may be null (then text is null)
   * @param eosTokenIds ids that end a row
   */
  public Generator(CausalLM model, TextTokenizer tokenizer, Set<Integer> eosTokenIds) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.eosTokenIds = Set.copyOf(eosTokenIds);
  }

  /** Completions of text prompts (encoded without added special tokens). */
  public List<Completion> generateText(List<String> prompts, SamplingParams params) {
    if (tokenizer == null) throw new IllegalStateException("this generator has no tokenizer");
    List<long[]> ids = new ArrayList<>();
    for (String p : prompts) ids.add(tokenizer.encode(p));
    return generate(ids, params);
  }

  /** Completions of token prompts, one per prompt, in order. */
  public List<Completion> generate(List<long[]> prompts, SamplingParams params) {
    if (!params.stop().isEmpty() && tokenizer == null) {
      throw new IllegalStateException("stop strings need a tokenizer");
    }
    int batch = prompts.size();
    if (batch == 0) return List.of();
    int width = prompts.stream().mapToInt(p -> p.length).max().getAsInt();
    if (prompts.stream().anyMatch(p -> p.length == 0)) {
      throw new BadInputException("a prompt has no tokens; generation needs at least one");
    }
    int maxNew = Math.min(params.maxNewTokens(), model.config().maxPositionEmbeddings() - width);
    if (maxNew < 1) {
      throw new BadInputException(
          "a prompt of "
              + width
              + " tokens leaves no room under max_position_embeddings "
              + model.config().maxPositionEmbeddings());
    }
    // left padding: ids and mask (batch, width); the mask grows by one column per step
    long[] ids = new long[batch * width];
    List<long[]> maskRows = new ArrayList<>();
    for (int r = 0; r < batch; r++) {
      long[] p = prompts.get(r);
      long[] m = new long[width];
      int off = width - p.length;
      for (int j = 0; j < p.length; j++) {
        model.checkId(p[j]);
        ids[r * width + off + j] = p[j];
        m[off + j] = 1;
      }
      maskRows.add(m);
    }
    TokenSampler sampler = new TokenSampler(params);
    Random[] rngs = new Random[batch];
    List<List<Long>> out = new ArrayList<>();
    List<List<Float>> lps = new ArrayList<>();
    for (int r = 0; r < batch; r++) {
      rngs[r] = new Random(params.seed() + r);
      out.add(new ArrayList<>());
      lps.add(new ArrayList<>());
    }
    Completion.FinishReason[] finish = new Completion.FinishReason[batch];
    String[] text = new String[batch];
    NDManager m = model.manager();
    try (KvCache cache = new KvCache(model.config().numHiddenLayers(), m)) {
      long[] step = ids;
      int stepLen = width;
      int vocab = model.config().vocabSize();
      // live[i] is the original row at batch position i; rows leave when the batch is compacted
      int[] live = new int[batch];
      for (int r = 0; r < batch; r++) live[r] = r;
      for (int t = 0; t < maxNew; t++) {
        int rows = live.length;
        float[] last;
        try (NDScope scope = new NDScope()) {
          int total = cache.length() + stepLen;
          long[] mask = new long[rows * total];
          for (int i = 0; i < rows; i++) {
            long[] row = maskRows.get(live[i]);
            System.arraycopy(row, 0, mask, i * total, row.length);
            for (int j = row.length; j < total; j++) mask[i * total + j] = 1;
          }
          NDArray logits =
              model.forward(m.create(step, new Shape(rows, stepLen)), mask, cache, true);
          last = logits.toFloatArray(); // (rows, 1, vocab) flattened
        }
        long[] next = new long[rows];
        int running = 0;
        for (int i = 0; i < rows; i++) {
          int r = live[i];
          if (finish[r] != null) continue;
          float[] row = Arrays.copyOfRange(last, i * vocab, (i + 1) * vocab);
          int tok = sampler.pick(row, rngs[r]);
          next[i] = tok;
          out.get(r).add((long) tok);
          lps.get(r).add(TokenSampler.logProb(row, tok));
          if (eosTokenIds.contains(tok)) {
            finish[r] = Completion.FinishReason.STOP;
          } else if (!params.stop().isEmpty()) {
            String s = decode(out.get(r));
            for (String stop : params.stop()) {
              int at = s.indexOf(stop);
              if (at >= 0) {
                finish[r] = Completion.FinishReason.STOP;
                text[r] = s.substring(0, at);
                break;
              }
            }
          }
          if (finish[r] == null) running++;
        }
        if (running == 0) break;
        if (running <= rows * 3 / 4) {
          // drop finished rows: (rows, ...) -> (running, ...) in the cache, the ids and live
          long[] keep = new long[running];
          int[] stillLive = new int[running];
          long[] keptNext = new long[running];
          for (int i = 0, k = 0; i < rows; i++) {
            if (finish[live[i]] != null) continue;
            keep[k] = i;
            stillLive[k] = live[i];
            keptNext[k++] = next[i];
          }
          cache.keepRows(keep);
          live = stillLive;
          next = keptNext;
        }
        // every row's new column is a real token (finished rows not yet dropped feed a harmless 0)
        step = next;
        stepLen = 1;
      }
    }
    List<Completion> result = new ArrayList<>(batch);
    for (int r = 0; r < batch; r++) {
      long[] toks = out.get(r).stream().mapToLong(Long::longValue).toArray();
      float[] lp = new float[toks.length];
      for (int i = 0; i < lp.length; i++) lp[i] = lps.get(r).get(i);
      Completion.FinishReason f = finish[r] == null ? Completion.FinishReason.LENGTH : finish[r];
      String s = text[r];
      if (s == null && tokenizer != null) s = decode(out.get(r));
      result.add(new Completion(toks, s, lp, f));
    }
    return result;
  }

  /** Text of the tokens without EOS and other special tokens. */
  private String decode(List<Long> tokens) {
    long[] ids =
        tokens.stream()
            .filter(t -> !eosTokenIds.contains(t.intValue()))
            .mapToLong(Long::longValue)
            .toArray();
    return tokenizer.decode(ids, true);
  }
}
