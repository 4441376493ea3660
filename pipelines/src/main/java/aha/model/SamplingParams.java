package aha.model;

import aha.BadInputException;
import java.util.List;

/**
 * How to pick each next token. Temperature 0 is greedy (argmax); otherwise the distribution
 * softmax(logits / temperature) is cut by top-k (0 = off), then top-p (1 = off), then min-p (0 =
 * off), renormalised and sampled. Row i of a batch draws from its own {@link java.util.Random}
 * seeded with {@code seed + i}, so the same call repeats exactly.
 *
 * @param stop strings that end a completion; the text is cut before the stop string
 */
public record SamplingParams(
    double temperature,
    double topP,
    int topK,
    double minP,
    int maxNewTokens,
    long seed,
    List<String> stop) {

  public SamplingParams {
    if (temperature < 0 || topP <= 0 || topP > 1 || topK < 0 || minP < 0 || minP > 1) {
      throw new BadInputException(
          "sampling needs temperature >= 0, 0 < top_p <= 1, top_k >= 0 and 0 <= min_p <= 1");
    }
    if (maxNewTokens < 1) {
      throw new BadInputException("max_new_tokens must be at least 1, got " + maxNewTokens);
    }
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  /** Greedy decoding. */
  public static SamplingParams greedy(int maxNewTokens) {
    return new SamplingParams(0, 1, 0, 0, maxNewTokens, 0, List.of());
  }

  /** Temperature and top-p sampling with a seed. */
  public static SamplingParams sample(
      double temperature, double topP, int maxNewTokens, long seed) {
    return new SamplingParams(temperature, topP, 0, 0, maxNewTokens, seed, List.of());
  }

  public SamplingParams withStop(List<String> stopStrings) {
    return new SamplingParams(temperature, topP, topK, minP, maxNewTokens, seed, stopStrings);
  }
}
