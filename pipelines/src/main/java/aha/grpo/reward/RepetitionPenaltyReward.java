package aha.grpo.reward;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * open-r1's {@code repetition_penalty} reward ("Demystifying Long CoT", appendix C.2): lower-case,
 * split on whitespace, form word n-grams, and return
 *
 * <pre>
 * (1 - distinct n-grams / total n-grams) * max_penalty        (max_penalty <= 0)
 * </pre>
 *
 * and 0 for text with fewer than n words. Same semantics as open-r1 for English (its Chinese jieba
 * path is unreachable through its registry and is not reproduced).
 */
public final class RepetitionPenaltyReward implements Reward {
  // Python's str.split() splits on Unicode whitespace
  private static final Pattern WHITESPACE = Pattern.compile("(?U)\\s+");

  private final int ngramSize;
  private final double maxPenalty;

  public RepetitionPenaltyReward(RewardSettings s) {
    this.ngramSize = s.repetitionNGrams();
    this.maxPenalty = s.repetitionMaxPenalty();
  }

  @Override
  public Double score(Sample sample) {
    List<String> words = words(sample.completion());
    if (words.size() < ngramSize) {
      return 0.0;
    }
    Set<List<String>> distinct = new HashSet<>();
    int total = words.size() - ngramSize + 1;
    for (int i = 0; i < total; i++) {
      distinct.add(words.subList(i, i + ngramSize));
    }
    return (1.0 - (double) distinct.size() / total) * maxPenalty;
  }

  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : WHITESPACE.split(text.toLowerCase(Locale.ROOT))) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }
}
