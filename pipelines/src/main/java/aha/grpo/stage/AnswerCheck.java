package aha.grpo.stage;

import aha.dataset.Problem;
import aha.verify.CountdownVerifier;
import aha.verify.MathVerifier;
import aha.verify.Verdict;
import java.util.List;

/**
 * The verdict behind the accuracy-based rewards: Countdown problems by {@link CountdownVerifier},
 * others by {@link MathVerifier} with an anchored answer required (as open-r1's accuracy reward: a
 * stray last number is no answer). An unparseable gold gives null, never a free 1.0.
 */
final class AnswerCheck {
  private final String mode;
  private final CountdownVerifier countdown = new CountdownVerifier();
  private MathVerifier math;

  /**
   * @param mode countdown, math, or auto (by the problem's task)
   */
  AnswerCheck(String mode) {
    this.mode = mode;
  }

  /** true, false, or null when the problem cannot be scored. */
  Boolean correct(Problem p, String completion) {
    boolean isCountdown =
        mode.equals("countdown") || (mode.equals("auto") && "countdown".equals(p.task()));
    Verdict v;
    if (isCountdown) {
      if (p.countdown() == null) return null;
      List<Long> nums = p.countdown().nums().stream().map(Integer::longValue).toList();
      v = countdown.verify(nums, p.countdown().target(), completion);
    } else {
      if (math == null)
        math = new MathVerifier(MathVerifier.Options.DEFAULT.withRequireAnchor(true));
      v = math.verify(p.answer(), completion);
    }
    return v.asBoolean();
  }
}
