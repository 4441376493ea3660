package aha.teacher;

import java.util.Random;

/**
 * What a solver produces for one completion: the reasoning (goes inside {@code <think>}) and the
 * final answer (goes inside {@code <answer>} or {@code \boxed{}}).
 */
record Narration(String reasoning, String answer) {

  /**
   * How one completion is narrated.
   *
   * @param verbosity 0: only the steps that lead to the answer; 1: attempts, "Wait," and a check
   *     (R1-style, the default); 2: also a restatement of the problem and a final re-check
   * @param temperature above 0 the teacher may take another search path (a shuffled order)
   */
  record Style(Random rng, int verbosity, double temperature, Slip slip) {}
}
