package aha.grpo.stage;

import aha.grpo.GrpoLoss;
import aha.grpo.LossConfig;
import aha.grpo.LossMask;
import aha.grpo.LossMetrics;
import aha.grpo.LossScale;
import aha.grpo.TokenLogprobs;
import aha.model.CausalLM;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimisation half of a GRPO step: old and reference log-probs without gradients, then {@code
 * num_iterations} optimizer updates over the generation batch, each accumulating the loss of its
 * micro-batches ({@link GrpoLoss}, normalised by {@link LossScale} so the split does not change the
 * loss) before one clipped Adam step.
 */
final class PolicyUpdate {
  private final GrpoSpec spec;
  private final CausalLM policy;
  private final CausalLM reference; // null when beta = 0
  private final Adam adam;
  private final LossConfig lossConfig;

  PolicyUpdate(GrpoSpec spec, CausalLM policy, CausalLM reference, Adam adam) {
    this.spec = spec;
    this.policy = policy;
    this.reference = reference;
    this.adam = adam;
    this.lossConfig =
        new LossConfig(
            aha.grpo.LossType.parse(spec.lossType()),
            spec.epsilon(),
            spec.epsilonHigh(),
            spec.beta());
  }

  /**
   * One micro-batch as host arrays: prompt left-padded to {@code width}, completion right-padded to
   * {@code t}; position {@code width - 1 + j} predicts completion token j.
   */
  private record Chunk(
      int rows,
      int width,
      int t,
      long[] ids,
      long[] attention,
      long[] completion,
      float[] lossMask,
      float[] completionMask,
      float[] advantages) {}

  /**
   * Updates the policy on the kept rollouts.
   *
   * @param advantages one per rollout
   * @param lr the learning rate of this step
   * @return loss, grad_norm, entropy, KL and clip metrics (TRL's names), averaged over iterations
   *     and micro-batches
   */
  Map<String, Double> update(List<Rollout> rows, double[] advantages, double lr) {
    List<Chunk> chunks = chunks(rows, advantages);
    double batchTokens = 0;
    for (Chunk c : chunks) for (float x : c.lossMask()) batchTokens += x;
    LossScale scale = new LossScale(spec.maxCompletionLength(), batchTokens, chunks.size());
    List<float[]> old = new ArrayList<>();
    List<float[]> ref = new ArrayList<>();
    for (Chunk c : chunks) {
      // ratio 1 exactly when each batch is used once: TRL then skips the old log-probs too
      old.add(spec.numIterations() > 1 ? logprobs(policy, c) : null);
      ref.add(reference != null ? logprobs(reference, c) : null);
    }
    Map<String, Double> sums = new LinkedHashMap<>();
    double entropySum = 0;
    double entropyTokens = 0;
    int updates = 0;
    for (int it = 0; it < spec.numIterations(); it++) {
      double loss = 0;
      List<LossMetrics> metrics = new ArrayList<>();
      for (int k = 0; k < chunks.size(); k++) {
        Chunk c = chunks.get(k);
        try (NDScope scope = new NDScope()) {
          NDManager m = policy.manager();
          Shape tok = new Shape(c.rows(), c.t());
          NDArray mask = m.create(c.lossMask(), tok);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = completionLogits(policy, c, m); // (rows, t, vocab)
            NDArray lp =
                TokenLogprobs.of(logits, m.create(c.completion(), tok), spec.temperature());
            GrpoLoss.Result r =
                GrpoLoss.compute(
                    lossConfig,
                    new GrpoLoss.Batch(
                        lp,
                        old.get(k) == null ? null : m.create(old.get(k), tok),
                        ref.get(k) == null ? null : m.create(ref.get(k), tok),
                        m.create(c.advantages(), new Shape(c.rows())),
                        mask),
                    scale);
            gc.backward(r.loss());
            loss += r.loss().getFloat();
            metrics.add(r.metrics());
            if (it == 0) {
              NDArray ent = TokenLogprobs.entropy(logits.stopGradient(), spec.temperature());
              NDArray cm = m.create(c.completionMask(), tok);
              entropySum += ent.mul(cm).sum().getFloat();
              entropyTokens += cm.sum().getFloat();
            }
          }
        }
      }
      double norm = adam.step(lr);
      updates++;
      add(sums, "loss", loss);
      add(sums, "grad_norm", norm);
      pooled(metrics).forEach((key, value) -> add(sums, key, value));
    }
    Map<String, Double> out = new LinkedHashMap<>();
    int n = updates;
    sums.forEach((k, v) -> out.put(k, v / n));
    out.put("entropy", entropyTokens == 0 ? Double.NaN : entropySum / entropyTokens);
    return out;
  }

  /** Token-weighted means of the micro-batches' metrics (extremes for the min/max ones). */
  private static Map<String, Double> pooled(List<LossMetrics> ms) {
    Map<String, Double> out = new LinkedHashMap<>();
    double tokens = 0;
    double low = 0, high = 0, region = 0, kl = 0;
    double lowMin = Double.NaN, highMax = Double.NaN;
    boolean hasKl = false;
    for (LossMetrics x : ms) {
      double w = x.numLossTokens();
      tokens += w;
      low += w * x.clipRatioLowMean();
      high += w * x.clipRatioHighMean();
      region += w * x.clipRatioRegionMean();
      if (!Double.isNaN(x.klMean())) {
        kl += w * x.klMean();
        hasKl = true;
      }
      lowMin = Double.isNaN(lowMin) ? x.clipRatioLowMin() : Math.min(lowMin, x.clipRatioLowMin());
      highMax =
          Double.isNaN(highMax) ? x.clipRatioHighMax() : Math.max(highMax, x.clipRatioHighMax());
    }
    double d = Math.max(1, tokens);
    out.put("clip_ratio/low_mean", low / d);
    out.put("clip_ratio/low_min", lowMin);
    out.put("clip_ratio/high_mean", high / d);
    out.put("clip_ratio/high_max", highMax);
    out.put("clip_ratio/region_mean", region / d);
    out.put("kl", hasKl ? kl / d : Double.NaN);
    out.put("num_loss_tokens", tokens);
    return out;
  }

  private static void add(Map<String, Double> sums, String key, double value) {
    sums.merge(key, value, Double::sum);
  }

  /** Log-probs of the completion tokens without gradients, as a host array (rows * t). */
  private float[] logprobs(CausalLM model, Chunk c) {
    try (NDScope scope = new NDScope()) {
      NDManager m = model.manager();
      NDArray logits = completionLogits(model, c, m);
      return TokenLogprobs.of(
              logits, m.create(c.completion(), new Shape(c.rows(), c.t())), spec.temperature())
          .toFloatArray();
    }
  }

  /** Logits at the positions that predict the completion: {@code (rows, t, vocab)}. */
  private static NDArray completionLogits(CausalLM model, Chunk c, NDManager m) {
    Shape seq = new Shape(c.rows(), c.width() + c.t());
    NDArray logits = model.forward(m.create(c.ids(), seq), m.create(c.attention(), seq), null);
    return logits.get(new NDIndex(":, {}:{}, :", c.width() - 1, c.width() - 1 + c.t()));
  }

  /**
   * Splits the rows into micro-batches of at most micro_batch_size, each padded to its own width.
   * Rows are taken in order of completion length, so rows of similar length share a micro-batch and
   * little compute goes to padding (about half of it otherwise, when a few completions run to
   * max_completion_length). Only bnpo's per-micro-batch token mean depends on the split.
   */
  private List<Chunk> chunks(List<Rollout> unsorted, double[] unsortedAdvantages) {
    Integer[] order = new Integer[unsorted.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    java.util.Arrays.sort(
        order, java.util.Comparator.comparingInt(i -> unsorted.get(i).completionIds().length));
    List<Rollout> rows = new ArrayList<>();
    double[] advantages = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      rows.add(unsorted.get(order[i]));
      advantages[i] = unsortedAdvantages[order[i]];
    }
    List<Chunk> out = new ArrayList<>();
    int size = spec.microBatchSize();
    for (int start = 0; start < rows.size(); start += size) {
      List<Rollout> part = rows.subList(start, Math.min(rows.size(), start + size));
      int n = part.size();
      int width = part.stream().mapToInt(r -> r.promptIds().length).max().orElse(1);
      int t = Math.max(1, part.stream().mapToInt(r -> r.completionIds().length).max().orElse(1));
      long[] ids = new long[n * (width + t)];
      long[] attention = new long[n * (width + t)];
      long[] completion = new long[n * t];
      int[] lengths = new int[n];
      boolean[] truncated = new boolean[n];
      float[] adv = new float[n];
      for (int i = 0; i < n; i++) {
        Rollout r = part.get(i);
        int row = i * (width + t);
        int off = width - r.promptIds().length;
        for (int j = 0; j < r.promptIds().length; j++) {
          ids[row + off + j] = r.promptIds()[j];
          attention[row + off + j] = 1;
        }
        long[] comp = r.completionIds();
        for (int j = 0; j < comp.length; j++) {
          ids[row + width + j] = comp[j];
          attention[row + width + j] = 1;
          completion[i * t + j] = comp[j];
        }
        lengths[i] = comp.length;
        truncated[i] = r.truncated();
        adv[i] = (float) advantages[start + i];
      }
      out.add(
          new Chunk(
              n,
              width,
              t,
              ids,
              attention,
              completion,
              flatten(LossMask.of(lengths, t, truncated, spec.maskTruncatedCompletions())),
              flatten(LossMask.of(lengths, t, truncated, false)),
              adv));
    }
    return out;
  }

  private static float[] flatten(float[][] a) {
    int w = a.length == 0 ? 0 : a[0].length;
    float[] out = new float[a.length * w];
    for (int i = 0; i < a.length; i++) System.arraycopy(a[i], 0, out, i * w, w);
    return out;
  }
}
