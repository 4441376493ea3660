package aha.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores of one model on one set, computed from its scored samples. Problems whose gold answer
 * cannot be scored (every verdict null) are counted in {@code unscorable} and left out of every
 * mean: they are never correct and never wrong.
 *
 * @param passAtK unbiased pass@k (mean over problems) for k = 1, 2, 4, ... and n
 * @param majAtK majority-vote accuracy over the first k samples, same ks
 * @param greedy accuracy of the greedy completions, null when none were made
 * @param meanLength mean completion tokens over all samples of scorable problems
 * @param reflectionRate fraction of those samples with a reflection marker
 * @param eosRate fraction of sampled completions that ended on their own (finish reason {@code
 *     stop}) rather than at max_new_tokens; a student whose chat template and EOS disagree scores 0
 * @param greedyEosRate the same for the greedy completions, null when none were made
 */
public record SetScores(
    MeanWithError pass1,
    int nProblems,
    int nSamples,
    int unscorable,
    Map<Integer, Double> passAtK,
    Map<Integer, Double> majAtK,
    Double greedy,
    double meanLength,
    double reflectionRate,
    double eosRate,
    Double greedyEosRate) {

  /**
   * @param samples per scorable-or-not problem, its sampled rows in sample_index order (each
   *     problem has the same n)
   * @param greedyRows the greedy row of each problem, or empty
   */
  public static SetScores of(List<List<SampleRow>> samples, List<SampleRow> greedyRows, int n) {
    List<List<SampleRow>> scorable = new ArrayList<>();
    for (List<SampleRow> p : samples)
      if (p.stream().anyMatch(s -> s.correct() != null)) scorable.add(p);
    int unscorable = samples.size() - scorable.size();
    double[] fraction = new double[scorable.size()];
    Map<Integer, Double> passAtK = new LinkedHashMap<>();
    Map<Integer, Double> majAtK = new LinkedHashMap<>();
    List<Integer> ks = PassAtK.ks(n);
    double[] passSum = new double[ks.size()];
    double[] majSum = new double[ks.size()];
    long tokens = 0;
    long reflecting = 0;
    long count = 0;
    long stopped = 0;
    for (int i = 0; i < scorable.size(); i++) {
      List<SampleRow> p = scorable.get(i);
      int c = (int) p.stream().filter(s -> Boolean.TRUE.equals(s.correct())).count();
      fraction[i] = (double) c / p.size();
      List<MajorityVote.Vote> votes =
          p.stream()
              .map(s -> new MajorityVote.Vote(s.answer(), Boolean.TRUE.equals(s.correct())))
              .toList();
      for (int j = 0; j < ks.size(); j++) {
        passSum[j] += PassAtK.estimate(p.size(), c, ks.get(j));
        majSum[j] += MajorityVote.solved(votes, ks.get(j));
      }
      for (SampleRow s : p) {
        tokens += s.length();
        reflecting += s.reflects() ? 1 : 0;
        stopped += s.finishedByEos() ? 1 : 0;
        count++;
      }
    }
    for (int j = 0; j < ks.size(); j++) {
      passAtK.put(ks.get(j), scorable.isEmpty() ? Double.NaN : passSum[j] / scorable.size());
      majAtK.put(ks.get(j), scorable.isEmpty() ? Double.NaN : majSum[j] / scorable.size());
    }
    Double greedy = null;
    List<SampleRow> scoredGreedy = greedyRows.stream().filter(s -> s.correct() != null).toList();
    if (!scoredGreedy.isEmpty()) {
      greedy =
          scoredGreedy.stream().filter(s -> s.correct()).count() / (double) scoredGreedy.size();
    }
    Double greedyEos = greedyRows.isEmpty() ? null
        : greedyRows.stream().filter(SampleRow::finishedByEos).count() / (double) greedyRows.size();
    return new SetScores(
        MeanWithError.of(fraction),
        scorable.size(),
        n,
        unscorable,
        passAtK,
        majAtK,
        greedy,
        count == 0 ? Double.NaN : (double) tokens / count,
        count == 0 ? Double.NaN : (double) reflecting / count,
        count == 0 ? Double.NaN : (double) stopped / count,
        greedyEos);
  }

  /** The JSON object of results.json and summary.json; NaN becomes null. */
  public Map<String, Object> toJson() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("pass@1", num(pass1.mean()));
    o.put("stderr", num(pass1.stderr()));
    o.put("n_problems", nProblems);
    o.put("n_samples", nSamples);
    o.put("unscorable", unscorable);
    Map<String, Object> pk = new LinkedHashMap<>();
    passAtK.forEach((k, v) -> pk.put(Integer.toString(k), num(v)));
    Map<String, Object> mk = new LinkedHashMap<>();
    majAtK.forEach((k, v) -> mk.put(Integer.toString(k), num(v)));
    o.put("pass@k", pk);
    o.put("maj@k", mk);
    o.put("greedy", greedy);
    o.put("mean_length", num(meanLength));
    o.put("reflection_rate", num(reflectionRate));
    o.put("eos_rate", num(eosRate));
    o.put("greedy_eos_rate", greedyEosRate);
    return o;
  }

  static Double num(double d) {
    return Double.isNaN(d) ? null : d;
  }
}
