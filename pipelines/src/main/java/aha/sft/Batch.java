package aha.sft;

import java.util.List;

/**
 * Examples right-padded to the longest one, flattened row-major.
 *
 * @param ids (rows, width) token ids, padding 0
 * @param mask (rows, width) 1 for real tokens
 * @param targets (rows, width - 1) 1 where token t+1 is a label, i.e. where {@code
 *     tokenLogProbs[:, t]} counts in the loss
 * @param tokens real tokens in the batch
 * @param targetCount labelled tokens in the batch
 */
public record Batch(int rows, int width, long[] ids, long[] mask, float[] targets, long tokens, long targetCount) {

  public static Batch of(List<Example> examples, int[] indices) {
    int rows = indices.length;
    int width = 2;
    for (int i : indices) width = Math.max(width, examples.get(i).length());
    long[] ids = new long[rows * width];
    long[] mask = new long[rows * width];
    float[] targets = new float[rows * (width - 1)];
    long tokens = 0;
    long count = 0;
    for (int r = 0; r < rows; r++) {
      Example e = examples.get(indices[r]);
      for (int t = 0; t < e.length(); t++) {
        ids[r * width + t] = e.ids()[t];
        mask[r * width + t] = 1;
        if (t > 0 && e.labels()[t]) {
          targets[r * (width - 1) + t - 1] = 1f;
          count++;
        }
      }
      tokens += e.length();
    }
    return new Batch(rows, width, ids, mask, targets, tokens, count);
  }
}
