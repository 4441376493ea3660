package aha.eval;

import aha.dataset.Problem;
import aha.verify.CountdownVerifier;
import aha.verify.MathVerifier;
import aha.verify.Verdict;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies a completion against its problem and extracts the answer it votes for in maj@k: {@link
 * CountdownVerifier} for Countdown problems, {@link MathVerifier} otherwise.
 */
final class Scorer {
  private static final Pattern ANSWER_TAG =
      Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL);

  private final MathVerifier math;
  private final CountdownVerifier countdown = new CountdownVerifier();

  Scorer(boolean requireAnchor) {
    this.math = new MathVerifier(MathVerifier.Options.DEFAULT.withRequireAnchor(requireAnchor));
  }

  record Scored(Verdict verdict, String answer) {}

  Scored score(Problem p, String completion) {
    if (p.countdown() != null) {
      List<Long> nums = p.countdown().nums().stream().map(Integer::longValue).toList();
      Verdict v = countdown.verify(nums, p.countdown().target(), completion);
      return new Scored(v, equation(completion));
    }
    Verdict v = math.verify(p.answer(), completion);
    return new Scored(v, completion == null ? null : math.describe(completion));
  }

  /** The last {@code <answer>} content without spaces: equal equations vote together. */
  static String equation(String completion) {
    if (completion == null) return null;
    Matcher m = ANSWER_TAG.matcher(completion);
    String last = null;
    while (m.find()) last = m.group(1);
    if (last == null) return null;
    String s = last.replaceAll("\\s+", "");
    return s.isEmpty() ? null : s;
  }
}
