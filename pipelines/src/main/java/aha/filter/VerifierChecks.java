package aha.filter;

import aha.dataset.Completion;
import aha.verify.CountdownVerifier;
import aha.verify.MathVerifier;
import java.util.List;

/**
 * The {@code aha.verify} verifiers as {@link AnswerCheck}s. They judge the final answer: the text
 * after the last {@code </think>} (an answer quoted inside the reasoning does not count). A gold
 * that cannot be parsed gives null (unverified), never true.
 */
final class VerifierChecks {
  private VerifierChecks() {}

  static String finalAnswer(Completion c) {
    String text = c.content();
    int end = text.lastIndexOf("</think>");
    return end >= 0 ? text.substring(end + "</think>".length()) : text;
  }

  static final class Math implements AnswerCheck {
    private transient MathVerifier verifier; // holds a timeout runner: built on each worker

    @Override
    public Boolean check(Completion c) {
      if (verifier == null) verifier = new MathVerifier();
      return verifier.verify(c.problem().answer(), finalAnswer(c)).asBoolean();
    }
  }

  static final class Countdown implements AnswerCheck {
    private transient CountdownVerifier verifier;

    @Override
    public Boolean check(Completion c) {
      if (c.problem().countdown() == null) return null;
      if (verifier == null) verifier = new CountdownVerifier();
      List<Long> nums = c.problem().countdown().nums().stream().map(Integer::longValue).toList();
      return verifier.verify(nums, c.problem().countdown().target(), finalAnswer(c)).asBoolean();
    }
  }
}
