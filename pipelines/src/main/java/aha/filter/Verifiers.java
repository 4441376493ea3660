package aha.filter;

import java.io.Serializable;

/**
 * Maps a recipe's {@code verifier} name ({@code math}, {@code countdown}) to an {@link AnswerCheck}.
 * The verifiers themselves live in {@code aha.verify}; {@link #BUILT_IN} is where they are wired.
 *
 * <p>An {@link AnswerCheck} is serialized to the workers (Spark executors, Direct threads): one
 * that wraps a verifier holding threads or caches should keep it in a {@code transient} field
 * built on first use.
 */
@FunctionalInterface
public interface Verifiers extends Serializable {
  AnswerCheck forName(String verifier);

  /**
   * The verifiers the {@code filter} stage uses in a recipe run. Not wired yet: the stage fails
   * before reading anything rather than keeping unverified traces.
   */
  Verifiers BUILT_IN = name -> {
    throw new IllegalStateException("the '" + name + "' verifier is not wired into the filter stage yet (aha.filter.Verifiers.BUILT_IN)");
  };
}
