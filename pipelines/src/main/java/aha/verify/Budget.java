package aha.verify;

/**
 * Bounds one verification: a wall-clock deadline checked cooperatively (no thread per case) plus
 * size limits that keep exact arithmetic from exploding ({@code 10^{10^{10}}}, {@code 100000!}).
 */
final class Budget {
  /** Longest extracted answer that is parsed at all; longer spans are not answers. */
  static final int MAX_ANSWER_CHARS = 4000;
  /** Only this many final characters of a completion are searched: answers come last. */
  static final int MAX_TEXT_CHARS = 131_072;
  /** A gold answer longer than this is not an answer. */
  static final int MAX_GOLD_CHARS = 16_384;
  /** Deepest nesting the parser follows. */
  static final int MAX_DEPTH = 120;
  /** Largest exact integer, in bits, kept as a rational; beyond it arithmetic goes numeric. */
  static final int MAX_BITS = 16_384;

  private final long deadlineNanos;
  private int ticks;

  Budget(long timeoutNanos) {
    this.deadlineNanos = System.nanoTime() + timeoutNanos;
  }

  /** Throws {@link Exceeded} once the deadline has passed; cheap enough to call in inner loops. */
  void check() {
    if ((++ticks & 63) == 0 && System.nanoTime() > deadlineNanos) {
      throw new Exceeded();
    }
  }

  /** Thrown when the time bound is hit; caught at the verifier's entry point. */
  static final class Exceeded extends RuntimeException {
    Exceeded() {
      super("time budget exceeded", null, false, false);
    }
  }

  /** Thrown when a number would grow past {@link #MAX_BITS}; the caller falls back to doubles. */
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("number too large for exact arithmetic", null, false, false);
    }
  }
}
