package aha.grpo.stage;

import aha.BadInputException;
import aha.model.SafeTensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba, with bias correction, no weight decay) over a parameter map, with global
 * gradient-norm clipping, its moments kept as named arrays so they can be saved beside a checkpoint
 * and a resumed run continues with the same optimizer state. Written here rather than DJL's {@code
 * Adam} because that one keeps its moments private, so they could not be saved.
 *
 * <pre>
 * g <- g * min(1, max_norm / ||g||)          (norm over all parameters)
 * m <- b1 m + (1 - b1) g        v <- b2 v + (1 - b2) g^2
 * p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 */
final class Adam {
  private final Map<String, NDArray> params;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double maxGradNorm;
  private final NDManager manager;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long t;

  /** The moments live in a sub-manager of {@code parent}, outside every per-step scope. */
  Adam(
      Map<String, NDArray> params,
      double beta1,
      double beta2,
      double eps,
      double maxGradNorm,
      NDManager parent) {
    this.params = params;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.maxGradNorm = maxGradNorm;
    this.manager = parent.newSubManager();
    for (var e : params.entrySet()) {
      m.put(e.getKey(), manager.zeros(e.getValue().getShape(), DataType.FLOAT32));
      v.put(e.getKey(), manager.zeros(e.getValue().getShape(), DataType.FLOAT32));
    }
  }

  long steps() {
    return t;
  }

  /**
   * One update from the accumulated gradients, which are then zeroed (PyTorch accumulates them). A
   * non-finite gradient norm skips the update and leaves the weights and moments untouched.
   *
   * @return the gradient norm before clipping
   */
  double step(double lr) {
    try (NDScope scope = new NDScope()) {
      double sq = 0;
      for (NDArray p : params.values()) {
        sq += p.getGradient().square().sum().getFloat();
      }
      double norm = Math.sqrt(sq);
      if (Double.isFinite(norm)) {
        t++;
        float clip = (float) Math.min(1.0, maxGradNorm / (norm + 1e-6));
        float c1 = (float) (1 - Math.pow(beta1, t));
        float c2 = (float) (1 - Math.pow(beta2, t));
        for (var e : params.entrySet()) {
          NDArray g = e.getValue().getGradient().mul(clip);
          NDArray mi = m.get(e.getKey());
          NDArray vi = v.get(e.getKey());
          mi.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
          vi.muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));
          NDArray update = mi.div(c1).div(vi.div(c2).sqrt().add((float) eps)).mul((float) lr);
          e.getValue().subi(update);
        }
      }
      for (NDArray p : params.values()) {
        NDArray g = p.getGradient();
        g.subi(g);
      }
      return norm;
    }
  }

  /** Writes the moments ({@code m.<name>}, {@code v.<name>}) to a safetensors file. */
  void save(Path file) throws IOException {
    Map<String, NDArray> all = new LinkedHashMap<>();
    m.forEach((k, a) -> all.put("m." + k, a));
    v.forEach((k, a) -> all.put("v." + k, a));
    SafeTensors.write(file, all, SafeTensors.Dtype.F32);
  }

  /** Restores moments written by {@link #save} and the step count {@code steps}. */
  void load(Path file, long steps) {
    try (NDManager tmp = manager.newSubManager()) {
      Map<String, NDArray> all = SafeTensors.read(file, tmp);
      for (String k : params.keySet()) {
        NDArray a = all.get("m." + k);
        NDArray b = all.get("v." + k);
        if (a == null || b == null || !a.getShape().equals(m.get(k).getShape())) {
          throw new BadInputException(
              file + " has no optimizer state for " + k + "; delete the checkpoint to start over");
        }
        m.get(k).set(a.toFloatArray());
        v.get(k).set(b.toFloatArray());
      }
    }
    this.t = steps;
  }
}
