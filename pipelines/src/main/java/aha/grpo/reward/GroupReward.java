package aha.grpo.reward;

import java.util.List;

/**
 * Scores a whole group of completions for one prompt at once: for rewards that compare a completion
 * with its siblings (the Kimi 1.5 length reward). Every per-completion {@link Reward} is a group
 * reward through {@link #of(Reward)}.
 */
@FunctionalInterface
public interface GroupReward {
  /** One value per sample, in order; an element is null when that sample is unscorable. */
  Double[] score(List<Sample> group);

  static GroupReward of(Reward reward) {
    return group -> {
      Double[] out = new Double[group.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = reward.score(group.get(i));
      }
      return out;
    };
  }
}
