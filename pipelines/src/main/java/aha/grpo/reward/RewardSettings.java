package aha.grpo.reward;

import aha.BadInputException;

/**
 * Parameters of the built-in reward functions, named after open-r1's recipe keys. {@link
 * #defaults()} are open-r1's script defaults except {@code cosine_min_value_wrong}, which is -1.0
 * (see {@link CosineLengthReward}).
 *
 * @param cosineMinValueWrong {@code cosine_min_value_wrong}: reward of an empty wrong answer
 * @param cosineMaxValueWrong {@code cosine_max_value_wrong}: reward of a wrong answer at max length
 * @param cosineMinValueCorrect {@code cosine_min_value_correct}: a correct answer at max length
 * @param cosineMaxValueCorrect {@code cosine_max_value_correct}: an empty correct answer
 * @param cosineMaxLen {@code cosine_max_len}: L_max in characters
 * @param repetitionNGrams {@code repetition_n_grams}: n of the word n-grams
 * @param repetitionMaxPenalty {@code repetition_max_penalty}: penalty of a fully repeated text, <=
 *     0
 * @param maxCompletionLen {@code max_completion_len}: DAPO's L_max in tokens (the stage passes its
 *     {@code max_completion_length})
 * @param softPunishCache {@code soft_punish_cache}: DAPO's soft cache C in tokens
 */
public record RewardSettings(
    double cosineMinValueWrong,
    double cosineMaxValueWrong,
    double cosineMinValueCorrect,
    double cosineMaxValueCorrect,
    int cosineMaxLen,
    int repetitionNGrams,
    double repetitionMaxPenalty,
    int maxCompletionLen,
    int softPunishCache) {

  /** Checks the settings; every violation is a {@link BadInputException} naming the key. */
  public RewardSettings {
    if (cosineMinValueWrong > cosineMaxValueWrong) {
      throw new BadInputException(
          "cosine_min_value_wrong ("
              + cosineMinValueWrong
              + ") must not exceed cosine_max_value_wrong ("
              + cosineMaxValueWrong
              + "), otherwise long wrong answers are punished more than short ones.");
    }
    if (cosineMinValueCorrect > cosineMaxValueCorrect) {
      throw new BadInputException(
          "cosine_min_value_correct ("
              + cosineMinValueCorrect
              + ") must not exceed cosine_max_value_correct ("
              + cosineMaxValueCorrect
              + ").");
    }
    if (cosineMaxLen <= 0) {
      throw new BadInputException(
          "cosine_max_len must be a positive number of characters, got " + cosineMaxLen + ".");
    }
    if (repetitionNGrams <= 0) {
      throw new BadInputException(
          "repetition_n_grams must be at least 1, got " + repetitionNGrams + ".");
    }
    if (!(repetitionMaxPenalty <= 0)) {
      throw new BadInputException(
          "repetition_max_penalty must be zero or negative, got " + repetitionMaxPenalty + ".");
    }
    if (softPunishCache <= 0 || softPunishCache > maxCompletionLen) {
      throw new BadInputException(
          "soft_punish_cache must be between 1 and max_completion_len ("
              + maxCompletionLen
              + "), got "
              + softPunishCache
              + ".");
    }
  }

  /**
   * open-r1's script defaults, with the wrong-answer cosine bounds made consistent (-1.0, -0.5).
   */
  public static RewardSettings defaults() {
    return new RewardSettings(-1.0, -0.5, 0.5, 1.0, 1000, 3, -1.0, 16384, 4096);
  }

  /** A copy with DAPO's overlong window set, e.g. to the stage's {@code max_completion_length}. */
  public RewardSettings withOverlong(int maxCompletionLen, int softPunishCache) {
    return new RewardSettings(
        cosineMinValueWrong,
        cosineMaxValueWrong,
        cosineMinValueCorrect,
        cosineMaxValueCorrect,
        cosineMaxLen,
        repetitionNGrams,
        repetitionMaxPenalty,
        maxCompletionLen,
        softPunishCache);
  }
}
