package aha.eval;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * maj@k: the answer extracted most often among a problem's first k samples wins, and the problem
 * counts as solved when that answer is correct. Samples without an extracted answer do not vote; a
 * tie goes to the answer that appeared first, so the result does not depend on hash order.
 */
public final class MajorityVote {
  private MajorityVote() {}

  /**
   * One sample's vote: its extracted answer (null when none) and whether it was verified correct.
   */
  public record Vote(String answer, boolean correct) {}

  /**
   * 1 when the majority answer of the first k votes is correct, else 0 (also when nobody voted).
   */
  public static int solved(List<Vote> votes, int k) {
    // insertion order = first appearance, which breaks ties
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, Boolean> correctness = new HashMap<>();
    for (Vote v : votes.subList(0, Math.min(k, votes.size()))) {
      if (v.answer() == null) continue;
      counts.merge(v.answer(), 1, Integer::sum);
      correctness.putIfAbsent(v.answer(), v.correct());
    }
    String best = null;
    int bestCount = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best != null && correctness.get(best) ? 1 : 0;
  }
}
