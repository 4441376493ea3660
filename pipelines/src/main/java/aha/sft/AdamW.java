package aha.sft;

import aha.model.SafeTensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch's AdamW (decoupled weight decay, bias-corrected moments) over a parameter map, with
 * its state in plain arrays so a checkpoint can save and restore it exactly. As transformers'
 * Trainer does, biases and norm weights get no weight decay.
 *
 * <p>The moment arrays are created once, in the parameters' manager, never inside an NDScope.
 */
public final class AdamW {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
  private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
  private long steps;

  public AdamW(Map<String, NDArray> params, NDManager manager, double beta1, double beta2, double eps, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    for (var e : params.entrySet()) {
      expAvg.put(e.getKey(), manager.zeros(e.getValue().getShape()));
      expAvgSq.put(e.getKey(), manager.zeros(e.getValue().getShape()));
    }
  }

  /** Whether a parameter is decayed: not biases, not norm weights (transformers' rule). */
  static boolean decays(String name) {
    return !name.endsWith(".bias") && !name.contains("norm");
  }

  /** Updates of the optimizer so far (the t of the bias correction). */
  public long steps() {
    return steps;
  }

  /**
   * One update with each parameter's gradient scaled by {@code gradScale} (the clipping factor).
   * Gradients are read, not zeroed.
   */
  public void step(Map<String, NDArray> params, double lr, double gradScale) {
    steps++;
    double bc1 = 1 - Math.pow(beta1, steps);
    double bc2 = Math.sqrt(1 - Math.pow(beta2, steps));
    try (NDScope scope = new NDScope()) {
      for (var e : params.entrySet()) {
        NDArray p = e.getValue();
        NDArray g = p.getGradient();
        if (gradScale != 1.0) g = g.mul(gradScale);
        if (weightDecay > 0 && decays(e.getKey())) p.muli(1 - lr * weightDecay);
        NDArray m = expAvg.get(e.getKey()).muli(beta1).addi(g.mul(1 - beta1));
        NDArray v = expAvgSq.get(e.getKey()).muli(beta2).addi(g.square().muli(1 - beta2));
        p.subi(m.div(v.sqrt().divi(bc2).addi(eps)).muli(lr / bc1));
      }
    }
  }

  /** Writes the moments ({@code exp_avg.<name>}, {@code exp_avg_sq.<name>}) as float32 safetensors. */
  public void save(Path file) throws IOException {
    Map<String, NDArray> all = new LinkedHashMap<>();
    expAvg.forEach((k, v) -> all.put("exp_avg." + k, v));
    expAvgSq.forEach((k, v) -> all.put("exp_avg_sq." + k, v));
    SafeTensors.write(file, all, SafeTensors.Dtype.F32);
  }

  /** Restores the moments written by {@link #save} and the step count. */
  public void load(Path file, long steps) {
    try (NDManager tmp = expAvg.values().iterator().next().getManager().newSubManager()) {
      Map<String, NDArray> all = SafeTensors.read(file, tmp);
      for (var e : expAvg.entrySet()) copy(all, "exp_avg." + e.getKey(), e.getValue(), file);
      for (var e : expAvgSq.entrySet()) copy(all, "exp_avg_sq." + e.getKey(), e.getValue(), file);
    }
    this.steps = steps;
  }

  private static void copy(Map<String, NDArray> from, String name, NDArray into, Path file) {
    NDArray a = from.get(name);
    if (a == null || !a.getShape().equals(into.getShape())) {
      throw new aha.BadInputException(file + ": optimizer tensor " + name + " is missing or has the wrong shape");
    }
    a.copyTo(into);
  }
}
