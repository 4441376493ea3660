package aha.grpo;

/**
 * The loss mask {@code (rows, T)}: 1 on completion tokens, 0 on padding, and 0 on every token of a
 * truncated completion when {@code mask_truncated_completions} is on (DAPO's overlong filtering: a
 * completion cut at {@code max_completion_length} says nothing reliable about its reward).
 */
public final class LossMask {
  private LossMask() {}

  /** From completion lengths (EOS included): token t of row i is in when {@code t < lengths[i]}. */
  public static float[][] of(int[] lengths, int width, boolean[] truncated, boolean maskTruncated) {
    float[][] mask = new float[lengths.length][width];
    for (int i = 0; i < lengths.length; i++) {
      if (maskTruncated && truncated[i]) {
        continue;
      }
      for (int t = 0; t < Math.min(width, lengths[i]); t++) {
        mask[i][t] = 1f;
      }
    }
    return mask;
  }

  /** From an existing completion mask: a copy with truncated rows zeroed when asked. */
  public static float[][] of(float[][] completionMask, boolean[] truncated, boolean maskTruncated) {
    float[][] mask = new float[completionMask.length][];
    for (int i = 0; i < mask.length; i++) {
      mask[i] =
          maskTruncated && truncated[i]
              ? new float[completionMask[i].length]
              : completionMask[i].clone();
    }
    return mask;
  }
}
