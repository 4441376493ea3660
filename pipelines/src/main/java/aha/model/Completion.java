package aha.model;

/**
 * One generated continuation.
 *
 * @param tokenIds the new tokens, including the EOS token that ended it (if one did)
 * @param text the decoded new tokens without special tokens, cut before a stop string; null when
 *     the generator has no tokenizer
 * @param logprobs log p(token) under the model's raw distribution (before temperature or
 *     truncation), one per entry of tokenIds
 * @param finishReason {@code STOP} on EOS or a stop string, {@code LENGTH} at max_new_tokens
 */
public record Completion(
    long[] tokenIds, String text, float[] logprobs, FinishReason finishReason) {
  /** Why a completion ended, named as in the OpenAI API. */
  public enum FinishReason {
    STOP,
    LENGTH;

    public String apiName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
