package aha.grpo.stage;

import aha.dataset.Problem;

/**
 * One sampled completion of one prompt.
 *
 * @param prompt the user message (the problem in the prompt template)
 * @param promptIds the rendered chat prompt's tokens, cut to max_prompt_length from the left
 * @param completionIds the sampled tokens, EOS included when the model stopped
 * @param completion the text without special tokens
 * @param truncated stopped at max_completion_length without EOS
 * @param correct the verifier's verdict, null when the problem cannot be scored
 * @param reflects whether the completion contains a reflection marker ({@link Reflection})
 */
record Rollout(
    Problem problem,
    String prompt,
    long[] promptIds,
    long[] completionIds,
    String completion,
    boolean truncated,
    Boolean correct,
    boolean reflects) {}
