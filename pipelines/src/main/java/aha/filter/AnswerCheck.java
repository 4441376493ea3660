package aha.filter;

import aha.dataset.Completion;
import java.io.Serializable;

/**
 * Whether a generation's final answer is right: {@code true}, {@code false}, or {@code null} when
 * it cannot be decided (no parsable answer, verifier timeout). The filter drops {@code null} rows
 * as {@link Reason#UNVERIFIED} and leaves them out of the pass rate, as open-r1 leaves {@code None}
 * rewards out of its mean.
 */
@FunctionalInterface
public interface AnswerCheck extends Serializable {
  Boolean check(Completion completion);
}
