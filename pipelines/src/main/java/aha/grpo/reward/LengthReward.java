package aha.grpo.reward;

import java.util.List;

/**
 * open-r1's {@code length} reward ({@code len_reward}, Kimi k1.5 section 2.3.3): within a group,
 * with L a completion's length in characters (code points) and min/max over the group,
 *
 * <pre>
 * lambda = 0.5 - (L - min) / (max - min)
 * correct: r = lambda        wrong: r = min(0, lambda)
 * </pre>
 *
 * and 0 for everyone when all lengths are equal.
 *
 * <p>Fixes against open-r1:
 *
 * <ul>
 *   <li>min and max were taken over the whole list passed to the function, i.e. the process's local
 *       batch mixing several prompts; Kimi defines them over the responses to one prompt. Here they
 *       are per group (the {@link RewardFuncs} caller passes one prompt's group).
 *   <li>An unparseable gold counted as correct; here the row is null (unscorable).
 * </ul>
 */
public final class LengthReward implements GroupReward {
  @Override
  public Double[] score(List<Sample> group) {
    int n = group.size();
    int[] lengths = new int[n];
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      String text = group.get(i).completion();
      lengths[i] = text.codePointCount(0, text.length());
      min = Math.min(min, lengths[i]);
      max = Math.max(max, lengths[i]);
    }
    Double[] out = new Double[n];
    for (int i = 0; i < n; i++) {
      Boolean correct = group.get(i).correct();
      if (correct == null) {
        continue;
      }
      if (max == min) {
        out[i] = 0.0;
        continue;
      }
      double lambda = 0.5 - (double) (lengths[i] - min) / (max - min);
      out[i] = correct ? lambda : Math.min(0.0, lambda);
    }
    return out;
  }
}
