package aha.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every layer for the tokens seen so far, shape {@code (batch, kv_heads, past,
 * head_dim)} after RoPE. The arrays live in the cache's own manager so that a per-step {@link
 * NDScope} can free everything else; close the cache when the generation ends.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private int length;
  private CausalLM.Fused fused;

  public KvCache(int layers, NDManager parent) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Number of positions already cached (the same for every row: rows are padded together). */
  public int length() {
    return length;
  }

  /** The model's fused weights for this generation, built on its first forward; or null. */
  CausalLM.Fused fused() {
    return fused;
  }

  void setFused(CausalLM.Fused f) {
    f.attach(manager);
    fused = f;
  }

  NDArray keys(int layer) {
    return keys[layer];
  }

  NDArray values(int layer) {
    return values[layer];
  }

  /**
   * Replaces a layer's arrays with ones that include the new positions. The new arrays are taken
   * out of the caller's scope and kept here; the old ones are freed.
   */
  void update(int layer, NDArray k, NDArray v) {
    NDScope.unregister(k, v);
    k.attach(manager);
    v.attach(manager);
    if (keys[layer] != null) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = k;
    values[layer] = v;
    if (layer == keys.length - 1) {
      length = (int) k.getShape().get(2);
    }
  }

  /**
   * Keeps only the given batch rows, in that order: every layer's {@code (batch, kv_heads, past,
   * head_dim)} becomes {@code (rows.length, kv_heads, past, head_dim)}.
   */
  void keepRows(long[] rows) {
    try (NDArray index = manager.create(rows)) {
      for (int layer = 0; layer < keys.length; layer++) {
        if (keys[layer] == null) continue;
        NDArray k = keys[layer].get(index);
        NDArray v = values[layer].get(index);
        keys[layer].close();
        values[layer].close();
        keys[layer] = k;
        values[layer] = v;
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
