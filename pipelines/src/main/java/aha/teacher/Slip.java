package aha.teacher;

import java.util.Random;

/**
 * The mistake, if any, the local teacher makes in one completion. Slips give rejection sampling
 * real work: wrong answers to drop, broken formats to catch, and caught slips that show the "Wait,
 * that's wrong" reflection R1 is known for.
 */
enum Slip {
  NONE,
  /** An arithmetic slip the teacher notices and repairs ("Wait, ..."): the answer is right. */
  CAUGHT,
  /** An arithmetic slip it does not notice: the final answer is wrong. */
  UNCAUGHT,
  /** Right reasoning, a wrong answer written down. */
  WRONG_FINAL,
  /** The think block is never closed. */
  UNCLOSED_THINK,
  /** A sentence in another language inside the reasoning. */
  LANGUAGE_SWITCH;

  /**
   * Draws a slip: none with probability {@code 1 - rate}; otherwise an arithmetic slip (70%, caught
   * with probability {@code catchRate}), a wrong final answer, an unclosed think block or a
   * language switch (10% each).
   */
  static Slip draw(Random rng, double rate, double catchRate) {
    if (rng.nextDouble() >= rate) return NONE;
    double k = rng.nextDouble();
    if (k < 0.7) return rng.nextDouble() < catchRate ? CAUGHT : UNCAUGHT;
    if (k < 0.8) return WRONG_FINAL;
    if (k < 0.9) return UNCLOSED_THINK;
    return LANGUAGE_SWITCH;
  }
}
