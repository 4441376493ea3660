/**
 * The math core of GRPO, without the rollout loop.
 *
 * <p>One step of a GRPO stage uses it in this order:
 *
 * <ol>
 *   <li>{@link aha.grpo.reward.RewardRegistry#select} resolves {@code reward_funcs} / {@code
 *       reward_weights}; {@link aha.grpo.reward.RewardFuncs#score} scores the prompt-major batch of
 *       {@link aha.grpo.reward.Sample}s (each with the verifier's verdict already in {@code
 *       correct}) into a {@link aha.grpo.reward.RewardTable}.
 *   <li>{@link aha.grpo.Advantages#compute} turns the combined rewards into one advantage per row.
 *   <li>{@link aha.grpo.LossMask} and {@link aha.grpo.TokenLogprobs} give the mask and the
 *       temperature-scaled log-probs {@code (rows, T)}; {@link aha.grpo.GrpoLoss#compute} gives the
 *       loss of each micro-batch to back-propagate, and {@link aha.grpo.LossMetrics}.
 * </ol>
 *
 * Intermediate NDArrays attach to the log-probs' manager: call the loss inside an {@code NDScope}
 * or a per-step sub-manager.
 */
package aha.grpo;
