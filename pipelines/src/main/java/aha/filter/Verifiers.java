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

  /** The verifiers the {@code filter} stage uses in a recipe run: {@code math} and {@code countdown}. */
  Verifiers BUILT_IN = name -> {
    if (name.equals("math")) return new VerifierChecks.Math();
    if (name.equals("countdown")) return new VerifierChecks.Countdown();
    throw new aha.BadInputException("verifier '" + name + "' is not built in (expected math or countdown)");
  };
}
