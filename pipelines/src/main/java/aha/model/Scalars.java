package aha.model;

import ai.djl.ndarray.NDArray;

/**
 * 0-dim constants for arithmetic inside a gradient collector.
 *
 * <p>Why not {@code x.mul(0.125)}: DJL turns the Java number into a tensor over a Java direct
 * buffer, runs the op and closes that tensor at once. Autograd keeps it for the backward pass
 * (mul, div and pow save their other operand), so after the next garbage collection the backward
 * reads freed memory: gradients that are silently wrong now and then (seen as q/k gradients of
 * exactly 0 and runs that drift apart). A copy owned by libtorch is reference-counted
 * and lives as long as the graph needs it.
 */
public final class Scalars {
  private Scalars() {}

  /** {@code value} as a 0-dim tensor of {@code like}'s dtype and manager (float64 keeps all digits). */
  public static NDArray of(NDArray like, double value) {
    try (NDArray javaBacked = like.getManager().create(value)) {
      return javaBacked.toType(like.getDataType(), true); // copy = true: libtorch owns the result
    }
  }
}
