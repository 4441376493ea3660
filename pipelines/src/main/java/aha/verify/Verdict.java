package aha.verify;

/**
 * The answer to "is this completion's final answer right?".
 *
 * <p>{@link Kind#UNSCORABLE} means the gold answer itself could not be parsed: such a case must be
 * skipped, never counted as correct (open-r1 once scored these as 1.0 and inflated its numbers).
 */
public record Verdict(Kind kind, String reason) {
  public enum Kind {
    TRUE,
    FALSE,
    UNSCORABLE
  }

  public static Verdict correct(String reason) {
    return new Verdict(Kind.TRUE, reason);
  }

  public static Verdict wrong(String reason) {
    return new Verdict(Kind.FALSE, reason);
  }

  public static Verdict unscorable(String reason) {
    return new Verdict(Kind.UNSCORABLE, reason);
  }

  public boolean isTrue() {
    return kind == Kind.TRUE;
  }

  /** {@code true}, {@code false}, or {@code null} for unscorable: the JSON value of contract 5. */
  public Boolean asBoolean() {
    return kind == Kind.UNSCORABLE ? null : kind == Kind.TRUE;
  }
}
