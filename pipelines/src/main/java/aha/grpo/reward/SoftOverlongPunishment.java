package aha.grpo.reward;

/**
 * DAPO's soft overlong punishment (Yu et al. 2025, eq. 13), as open-r1's {@code
 * soft_overlong_punishment}: with L the completion length in <b>tokens</b>, L_max the maximum
 * completion length and C the soft cache,
 *
 * <pre>
 * r = 0                        if L <= L_max - C
 * r = (L_max - C - L) / C      if L_max - C < L <= L_max   (a ramp from 0 down to -1)
 * r = -1                       if L > L_max
 * </pre>
 *
 * Same semantics as open-r1; its help text calls L_max characters, but the length is in tokens.
 */
public final class SoftOverlongPunishment implements Reward {
  private final int maxCompletionLen;
  private final int softPunishCache;

  public SoftOverlongPunishment(RewardSettings s) {
    this.maxCompletionLen = s.maxCompletionLen();
    this.softPunishCache = s.softPunishCache();
  }

  @Override
  public Double score(Sample sample) {
    int length = sample.completionTokens();
    int start = maxCompletionLen - softPunishCache;
    if (length <= start) {
      return 0.0;
    }
    if (length <= maxCompletionLen) {
      return (double) (start - length) / softPunishCache;
    }
    return -1.0;
  }
}
