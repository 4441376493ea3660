package aha.grpo.reward;

/**
 * Scores one completion against its problem.
 *
 * <p>Returns null when the completion cannot be scored (for example the gold answer does not
 * parse). A null is never replaced by a made-up number: the weighted combination skips it, and a
 * row where every function is null is left out of the advantages (see {@link RewardTable}).
 */
@FunctionalInterface
public interface Reward {
  Double score(Sample sample);
}
