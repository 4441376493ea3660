package aha.model;

import aha.BadInputException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The Qwen2 / Llama decoder written as functions over a parameter map whose keys are the Hugging
 * Face tensor names ({@code model.layers.0.self_attn.q_proj.weight}, ...), so a checkpoint maps
 * one-to-one onto it. Float32 throughout; linear weights are {@code (out, in)} as in PyTorch.
 *
 * <p>Memory: every op result attaches to its first operand's manager, which for most ops here is
 * the parameters' manager. Callers wrap each forward (and backward) in an {@link NDScope}; {@link
 * #score} and {@link Generator} do so themselves.
 */
public final class CausalLM implements AutoCloseable {
  /** Added to the scores of keys a query must not see: finite, so a fully masked row is no NaN. */
  private static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> params;
  private final NDArray cos; // (max_positions, head_dim)
  private final NDArray sin; // (max_positions, head_dim), first half negated: see rope()
  // 0-dim float32 constants made once by Scalars.of (libtorch-owned, so autograd may keep them)
  // and reused by every forward: a fresh Scalars.of costs two engine calls, and a decode step
  // needed 22 of them
  private final NDArray rmsEps; // rms_norm_eps
  private final NDArray minusHalf; // -0.5, the exponent of rmsNorm's inverse square root
  private final NDArray attentionScale; // 1 / sqrt(head_dim)

  /**
   * Takes ownership of {@code params} (they are attached to this model's manager) and checks that
   * every tensor the config needs is there with the right shape.
   */
  public CausalLM(ModelConfig config, Map<String, NDArray> params, NDManager parent) {
    this.config = config;
    this.manager = parent.newSubManager();
    Map<String, Shape> expected = expectedShapes(config);
    this.params = new LinkedHashMap<>();
    for (var e : expected.entrySet()) {
      NDArray a = params.get(e.getKey());
      if (a == null) {
        throw new BadInputException("missing tensor " + e.getKey());
      }
      if (!a.getShape().equals(e.getValue())) {
        throw new BadInputException(
            "tensor " + e.getKey() + " has shape " + a.getShape() + ", expected " + e.getValue());
      }
      a.attach(manager);
      a.setName(e.getKey());
      if (a.getDataType() != DataType.FLOAT32) {
        NDArray f = a.toType(DataType.FLOAT32, false);
        f.attach(manager);
        f.setName(e.getKey());
        a.close();
        a = f;
      }
      this.params.put(e.getKey(), a);
    }
    NDArray[] rope = ropeTables(config, manager);
    this.cos = rope[0];
    this.sin = rope[1];
    this.rmsEps = Scalars.of(cos, config.rmsNormEps());
    this.minusHalf = Scalars.of(cos, -0.5);
    this.attentionScale = Scalars.of(cos, 1.0 / Math.sqrt(config.headDim()));
    // they belong to the model, not to a scope that may be open around its construction
    NDScope.unregister(rmsEps, minusHalf, attentionScale);
  }

  /**
   * A freshly initialised model: weights ~ N(0, 0.02) from a {@link Random} seeded with {@code
   * seed} (so the same seed gives the same weights on every machine), biases 0, norms 1.
   */
  public static CausalLM randomInit(ModelConfig config, long seed, NDManager parent) {
    Random rng = new Random(seed);
    Map<String, NDArray> p = new LinkedHashMap<>();
    try (NDManager tmp = parent.newSubManager()) {
      for (var e : expectedShapes(config).entrySet()) {
        String name = e.getKey();
        Shape s = e.getValue();
        float[] v = new float[Math.toIntExact(s.size())];
        if (name.endsWith("norm.weight")) {
          java.util.Arrays.fill(v, 1f);
        } else if (!name.endsWith(".bias")) {
          for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * 0.02);
        }
        p.put(name, tmp.create(v, s));
      }
      return new CausalLM(config, p, parent);
    }
  }

  /** The tensors a config needs, in Hugging Face names and shapes, in a stable order. */
  public static Map<String, Shape> expectedShapes(ModelConfig c) {
    long d = c.hiddenSize();
    long kv = (long) c.numKeyValueHeads() * c.headDim();
    long f = c.intermediateSize();
    Map<String, Shape> m = new LinkedHashMap<>();
    m.put("model.embed_tokens.weight", new Shape(c.vocabSize(), d));
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      String p = "model.layers." + i + ".";
      m.put(p + "input_layernorm.weight", new Shape(d));
      m.put(p + "self_attn.q_proj.weight", new Shape(d, d));
      m.put(p + "self_attn.k_proj.weight", new Shape(kv, d));
      m.put(p + "self_attn.v_proj.weight", new Shape(kv, d));
      if (c.attentionBias()) {
        m.put(p + "self_attn.q_proj.bias", new Shape(d));
        m.put(p + "self_attn.k_proj.bias", new Shape(kv));
        m.put(p + "self_attn.v_proj.bias", new Shape(kv));
      }
      m.put(p + "self_attn.o_proj.weight", new Shape(d, d));
      m.put(p + "post_attention_layernorm.weight", new Shape(d));
      m.put(p + "mlp.gate_proj.weight", new Shape(f, d));
      m.put(p + "mlp.up_proj.weight", new Shape(f, d));
      m.put(p + "mlp.down_proj.weight", new Shape(d, f));
    }
    m.put("model.norm.weight", new Shape(d));
    if (!c.tieWordEmbeddings()) {
      m.put("lm_head.weight", new Shape(c.vocabSize(), d));
    }
    return m;
  }

  public ModelConfig config() {
    return config;
  }

  /** The manager that owns the parameters (optimizer state can live here too). */
  public NDManager manager() {
    return manager;
  }

  /** Parameters by Hugging Face name; the arrays are the live weights (train them in place). */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /**
   * Logits for a batch.
   *
   * @param ids token ids {@code (batch, seq)}, int64
   * @param mask {@code (batch, past + seq)}, 1 for real tokens and 0 for padding (left or right);
   *     null means no padding. Positions are counted over real tokens only, so a left-padded row
   *     sees the same positions as the row alone.
   * @param cache keys/values of earlier positions, extended in place; null for a plain forward
   * @return logits {@code (batch, seq, vocab)}
   */
  public NDArray forward(NDArray ids, NDArray mask, KvCache cache) {
    long[] hostMask = null;
    if (mask != null) {
      hostMask =
          mask.getDataType() == DataType.INT64
              ? mask.toLongArray()
              : mask.toType(DataType.INT64, false).toLongArray();
    }
    return forward(ids, hostMask, cache, false);
  }

  /**
   * The forward pass. The mask stays on the host: positions and the additive attention bias are
   * computed here in plain Java, which costs far fewer engine calls than doing it with arrays.
   *
   * @param mask (batch * (past + seq)) row-major, or null for no padding
   * @param lastOnly return logits of the last position only, (batch, 1, vocab), for generation
   */
  NDArray forward(NDArray ids, long[] mask, KvCache cache, boolean lastOnly) {
    int batch = (int) ids.getShape().get(0);
    int seq = (int) ids.getShape().get(1);
    int past = cache == null ? 0 : cache.length();
    int total = past + seq;
    if (mask != null && mask.length != batch * total) {
      throw new IllegalArgumentException(
          "mask covers " + mask.length / batch + " positions, expected " + total);
    }
    if (total > cos.getShape().get(0)) {
      throw new BadInputException(
          "sequence of "
              + total
              + " positions exceeds max_position_embeddings "
              + config.maxPositionEmbeddings());
    }
    NDManager m = ids.getManager();
    // positions (batch, 1, seq): index of each token among its row's real tokens
    long[] positions = new long[batch * seq];
    // the additive attention bias is MASKED where query i (absolute past+i) must not see key j
    // and 0 elsewhere, made of two small host arrays instead of one (batch, 1, seq, total):
    // keys (batch, 1, 1, total), MASKED at padding; causal (1, 1, seq, total), MASKED at j > past+i
    float[] keys = new float[batch * total];
    boolean anyPadding = false;
    for (int b = 0; b < batch; b++) {
      long real = 0;
      for (int j = 0; j < total; j++) {
        boolean isReal = mask == null || mask[b * total + j] != 0;
        if (j >= past) positions[b * seq + j - past] = Math.max(0, real + (isReal ? 0 : -1));
        if (isReal) {
          real++;
        } else {
          keys[b * total + j] = MASKED;
          anyPadding = true;
        }
      }
    }
    NDArray pos = m.create(positions, new Shape(batch, 1, seq));
    NDArray cosP = lookup(pos, cos); // (batch, 1, seq, head_dim)
    NDArray sinP = lookup(pos, sin);
    NDArray attnBias = null; // null when every query sees every key (an unpadded decoding step)
    if (seq > 1) {
      float[] causal = new float[seq * total];
      for (int i = 0; i < seq; i++) {
        for (int j = past + i + 1; j < total; j++) causal[i * total + j] = MASKED;
      }
      attnBias = m.create(causal, new Shape(1, 1, seq, total));
    }
    if (anyPadding) {
      NDArray keyBias = m.create(keys, new Shape(batch, 1, 1, total));
      // minimum, not add: a key both padded and in the future stays at MASKED, as one mask would
      attnBias = attnBias == null ? keyBias : attnBias.minimum(keyBias); // (batch, 1, seq, total)
    }
    Fused fused = fused(cache);

    NDArray tokens = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
    NDArray x = lookup(tokens, p("model.embed_tokens.weight")); // (batch, seq, hidden)
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      String l = "model.layers." + i + ".";
      NDArray h = rmsNorm(x, p(l + "input_layernorm.weight"));
      x = x.add(attention(h, l, i, fused, cosP, sinP, attnBias, cache));
      h = rmsNorm(x, p(l + "post_attention_layernorm.weight"));
      x = x.add(mlp(h, l, i, fused));
    }
    if (lastOnly && seq > 1) {
      x = x.get(new NDIndex().addAllDim().addSliceDim(seq - 1, seq)); // (batch, 1, hidden)
    }
    x = rmsNorm(x, p("model.norm.weight"));
    NDArray head =
        config.tieWordEmbeddings() ? p("model.embed_tokens.weight") : p("lm_head.weight");
    return linear(x, head, null); // (batch, seq, vocab)
  }

  /**
   * The q/k/v and gate/up weights of every layer stacked into one matrix each, so that a layer
   * makes two projections where it would make five (HF's fused-kernel layout). Built from the live
   * parameters with differentiable concatenation: for a plain forward (training, scoring) on every
   * call, q/k/v only; for generation once per {@link KvCache}, whose lifetime (one generate call)
   * is shorter than any weight update, q/k/v and gate/up.
   */
  static final class Fused {
    final NDArray[] qkvWeight; // (H*hd + 2*KV*hd, hidden)
    final NDArray[] qkvBias; // (H*hd + 2*KV*hd), or null entries without attention bias
    final NDArray[] gateUpWeight; // (2*intermediate, hidden); null entries without a cache

    Fused(int layers) {
      qkvWeight = new NDArray[layers];
      qkvBias = new NDArray[layers];
      gateUpWeight = new NDArray[layers];
    }

    void attach(NDManager m) {
      for (NDArray[] group : new NDArray[][] {qkvWeight, qkvBias, gateUpWeight}) {
        for (NDArray a : group) {
          if (a == null) continue;
          NDScope.unregister(a);
          a.attach(m);
        }
      }
    }
  }

  private Fused fused(KvCache cache) {
    if (cache != null && cache.fused() != null) return cache.fused();
    int n = config.numHiddenLayers();
    Fused f = new Fused(n);
    for (int i = 0; i < n; i++) {
      String a = "model.layers." + i + ".self_attn.";
      f.qkvWeight[i] =
          NDArrays.concat(
              new NDList(p(a + "q_proj.weight"), p(a + "k_proj.weight"), p(a + "v_proj.weight")));
      if (config.attentionBias()) {
        f.qkvBias[i] =
            NDArrays.concat(
                new NDList(p(a + "q_proj.bias"), p(a + "k_proj.bias"), p(a + "v_proj.bias")));
      }
      if (cache != null) {
        String mlp = "model.layers." + i + ".mlp.";
        f.gateUpWeight[i] =
            NDArrays.concat(new NDList(p(mlp + "gate_proj.weight"), p(mlp + "up_proj.weight")));
      }
    }
    if (cache != null) cache.setFused(f);
    return f;
  }

  /**
   * Grouped-query self-attention of one layer; h (batch, seq, hidden) -> (batch, seq, hidden).
   *
   * @param bias additive mask broadcasting to (batch, 1, seq, total): (1, 1, seq, total) without
   *     padding, (batch, 1, 1, total) for a padded decoding step; null when every query sees every
   *     key
   */
  private NDArray attention(
      NDArray h,
      String l,
      int layer,
      Fused fused,
      NDArray cosP,
      NDArray sinP,
      NDArray bias,
      KvCache cache) {
    long b = h.getShape().get(0);
    long s = h.getShape().get(1);
    int heads = config.numAttentionHeads();
    int kvHeads = config.numKeyValueHeads();
    int hd = config.headDim();
    int rep = heads / kvHeads;
    NDArray qkv = linear(h, fused.qkvWeight[layer], fused.qkvBias[layer]);
    // (b, s, (H + 2*KV) * hd) -> (b, H + 2*KV, s, hd); with one position the transpose moves
    // nothing, so a reshape does it in one call
    qkv =
        s == 1
            ? qkv.reshape(b, heads + 2 * kvHeads, 1, hd)
            : qkv.reshape(b, s, heads + 2 * kvHeads, hd).transpose(0, 2, 1, 3);
    NDList parts = qkv.split(new long[] {heads + kvHeads}, 1);
    NDArray qk = rope(parts.get(0), cosP, sinP); // (b, H + KV, s, hd)
    NDArray v = parts.get(1); // (b, KV, s, hd)
    NDList qAndK = qk.split(new long[] {heads}, 1);
    NDArray q = qAndK.get(0); // (b, H, s, hd)
    NDArray k = qAndK.get(1); // (b, KV, s, hd)
    if (cache != null) {
      if (cache.keys(layer) != null) {
        k = cache.keys(layer).concat(k, 2); // (b, KV, total, hd)
        v = cache.values(layer).concat(v, 2);
      }
      cache.update(layer, k, v);
    }
    long t = k.getShape().get(2);
    // Query heads h = g*rep + r share KV head g (HF repeat_kv): fold the rep query heads of a
    // group into the row axis instead of copying K and V rep times.
    NDArray qg = q.reshape(b, kvHeads, rep * s, hd);
    NDArray scores = qg.matMul(k.transpose(0, 1, 3, 2)); // (b, KV, rep*s, t)
    if (s == 1) {
      // rows are the rep heads of one query: the bias (b, 1, 1, t) broadcasts over them as is
      scores = scores.mul(attentionScale);
      if (bias != null) scores = scores.add(bias);
      NDArray out = scores.softmax(-1).matMul(v); // (b, KV, rep, hd) = (b, H, 1, hd)
      return linear(out.reshape(b, 1, heads * hd), p(l + "self_attn.o_proj.weight"), null);
    }
    scores = scores.reshape(b, heads, s, t);
    scores = scores.mul(attentionScale);
    if (bias != null) scores = scores.add(bias);
    NDArray probs = scores.softmax(-1);
    NDArray out = probs.reshape(b, kvHeads, rep * s, t).matMul(v); // (b, KV, rep*s, hd)
    out = out.reshape(b, heads, s, hd).transpose(0, 2, 1, 3).reshape(b, s, heads * hd);
    return linear(out, p(l + "self_attn.o_proj.weight"), null);
  }

  /** SwiGLU: down(silu(gate(h)) * up(h)), gate and up as one projection. */
  private NDArray mlp(NDArray h, String l, int layer, Fused fused) {
    NDArray g;
    NDArray u;
    if (fused.gateUpWeight[layer] != null) {
      NDList gu = linear(h, fused.gateUpWeight[layer], null).split(2, 2); // h (b, s, hidden)
      g = gu.get(0);
      u = gu.get(1);
    } else {
      // two projections: the backward then sums dh in the same order as before the fusion, so
      // training stays bit-identical (one (2*ffn)-wide matmul adds the halves in another order)
      g = linear(h, p(l + "mlp.gate_proj.weight"), null);
      u = linear(h, p(l + "mlp.up_proj.weight"), null);
    }
    return linear(g.mul(Activation.sigmoid(g)).mul(u), p(l + "mlp.down_proj.weight"), null);
  }

  /** x / sqrt(mean(x^2) + eps) * w over the last axis. */
  private NDArray rmsNorm(NDArray x, NDArray w) {
    NDArray ms = x.square().mean(new int[] {-1}, true);
    NDArray inv = ms.add(rmsEps).pow(minusHalf);
    return x.mul(inv).mul(w);
  }

  /**
   * HF rotate-half RoPE: x*cos + rotate_half(x)*sin with rotate_half([a, b]) = [-b, a]. The sign
   * lives in the table (its first half is -sin), so the rotation is a swap of the halves, [b, a]:
   * (-b)*sin and b*(-sin) are the same float. x (b, heads, s, hd), cos/sin (b, 1, s, hd).
   * (A matmul with a 0/±1 matrix did the swap before: exact too, but on small decode shapes
   * libtorch's matmul cost ten times the split and concat.)
   */
  private NDArray rope(NDArray x, NDArray cos, NDArray signedSin) {
    NDList halves = x.split(2, 3); // DJL's split and concat take no negative axis
    NDArray swapped = halves.get(1).concat(halves.get(0), 3);
    return x.mul(cos).add(swapped.mul(signedSin));
  }

  private static NDArray linear(NDArray x, NDArray w, NDArray b) {
    return (b == null ? Linear.linear(x, w) : Linear.linear(x, w, b)).singletonOrThrow();
  }

  /** Row lookup (torch.embedding): ids (...) int64, table (n, dim) -> (..., dim). */
  private static NDArray lookup(NDArray ids, NDArray table) {
    return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  private NDArray p(String name) {
    return params.get(name);
  }

  private NDArray bias(String name) {
    return config.attentionBias() ? params.get(name) : null;
  }

  /**
   * cos and signed sin (positions, head_dim) computed in double, as the angle vector repeated
   * twice; the sin table's first half is negated (see {@link #rope}).
   */
  private static NDArray[] ropeTables(ModelConfig c, NDManager m) {
    int hd = c.headDim();
    int n = c.maxPositionEmbeddings();
    float[] cos = new float[n * hd];
    float[] sin = new float[n * hd];
    for (int p = 0; p < n; p++) {
      for (int i = 0; i < hd / 2; i++) {
        double angle = p / Math.pow(c.ropeTheta(), 2.0 * i / hd);
        cos[p * hd + i] = cos[p * hd + i + hd / 2] = (float) Math.cos(angle);
        sin[p * hd + i + hd / 2] = (float) Math.sin(angle);
        sin[p * hd + i] = -sin[p * hd + i + hd / 2];
      }
    }
    return new NDArray[] {m.create(cos, new Shape(n, hd)), m.create(sin, new Shape(n, hd))};
  }

  /**
   * Per-token log-probs of each next token: {@code out[b, t] = log p(ids[b, t+1] | ids[b, 0..t])}.
   * Differentiable (SFT and GRPO call it inside a gradient collector).
   *
   * @param ids (batch, seq) int64
   * @param mask (batch, seq) 1 for real tokens, or null
   * @return (batch, seq - 1); values whose target or predicting position is padding are meaningless
   *     (a padding query attends to nothing real), so mask them with {@code mask[:, 1:] * mask[:,
   *     :-1]}
   */
  public NDArray tokenLogProbs(NDArray ids, NDArray mask) {
    return tokenLogProbs(ids, mask, 1.0);
  }

  /**
   * {@link #tokenLogProbs(NDArray, NDArray)} of the distribution softmax(logits / temperature), as
   * TRL's GRPO computes it for completions sampled at that temperature.
   */
  public NDArray tokenLogProbs(NDArray ids, NDArray mask, double temperature) {
    long s = ids.getShape().get(1);
    NDArray logits = forward(ids, mask, null).get(new NDIndex(":, :{}, :", s - 1));
    if (temperature != 1.0) logits = logits.div(Scalars.of(logits, temperature));
    NDArray targets = ids.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
    return logProbsOf(logits, targets);
  }

  /**
   * log_softmax(logits)[targets]: logits (batch, seq, vocab), targets (batch, seq) -> (batch, seq).
   */
  public static NDArray logProbsOf(NDArray logits, NDArray targets) {
    return logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
  }

  /**
   * Scores whole sequences without gradients, {@code batchSize} at a time (right padding), each
   * batch in its own scope. Returns n-1 log-probs per sequence of n ids (DESIGN contract 6).
   */
  public List<float[]> score(List<long[]> sequences, int batchSize) {
    List<float[]> out = new ArrayList<>(sequences.size());
    for (int start = 0; start < sequences.size(); start += batchSize) {
      List<long[]> chunk = sequences.subList(start, Math.min(sequences.size(), start + batchSize));
      int width = chunk.stream().mapToInt(a -> a.length).max().orElse(0);
      if (width < 2) {
        chunk.forEach(a -> out.add(new float[0]));
        continue;
      }
      long[] ids = new long[chunk.size() * width];
      long[] mask = new long[chunk.size() * width];
      for (int r = 0; r < chunk.size(); r++) {
        long[] row = chunk.get(r);
        for (int j = 0; j < row.length; j++) {
          checkId(row[j]);
          ids[r * width + j] = row[j];
          mask[r * width + j] = 1;
        }
      }
      try (NDScope scope = new NDScope()) {
        Shape shape = new Shape(chunk.size(), width);
        float[] lp =
            tokenLogProbs(manager.create(ids, shape), manager.create(mask, shape)).toFloatArray();
        for (int r = 0; r < chunk.size(); r++) {
          int n = Math.max(0, chunk.get(r).length - 1);
          float[] row = new float[n];
          System.arraycopy(lp, r * (width - 1), row, 0, n);
          out.add(row);
        }
      }
    }
    return out;
  }

  void checkId(long id) {
    if (id < 0 || id >= config.vocabSize()) {
      throw new BadInputException(
          "token id " + id + " is outside the vocabulary 0.." + (config.vocabSize() - 1));
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
