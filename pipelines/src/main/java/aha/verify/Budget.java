package aha.verify;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Bounds one verification: a deadline checked cooperatively (no thread per case) plus size limits
 * that keep exact arithmetic from exploding ({@code 10^{10^{10}}}, {@code 100000!}).
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

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_CLOCK = cpuClockUsable();

  private static boolean cpuClockUsable() {
    try {
      if (!THREADS.isCurrentThreadCpuTimeSupported()) return false;
      if (!THREADS.isThreadCpuTimeEnabled()) THREADS.setThreadCpuTimeEnabled(true);
      return THREADS.getCurrentThreadCpuTime() >= 0;
    } catch (UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** Wall-clock safety net, in multiples of the CPU bound, for a thread starved of CPU. */
  static final int WALL_FACTOR = 20;

  private final long timeoutNanos;
  private final long cpuStart;
  private final long wallStart;
  private int ticks;

  /**
   * The bound is on the calling thread's CPU time where the JVM offers it, so that a verdict does
   * not change when the machine is busy or a GC pauses the thread (wall-clock time otherwise); a
   * starved thread still stops after {@link #WALL_FACTOR} times the bound of wall-clock time.
   */
  Budget(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
    this.cpuStart = cpuNow();
    this.wallStart = System.nanoTime();
  }

  /** CPU time of the current thread (wall-clock time where the JVM cannot measure it). */
  static long cpuNow() {
    return CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  /**
   * Throws {@link Exceeded} once the bound has passed; cheap enough to call in inner loops. The CPU
   * clock (about a microsecond a read) is consulted only after the wall clock (tens of nanoseconds)
   * has passed the bound, which it always does first.
   */
  void check() {
    if ((++ticks & 63) != 0) return;
    long wall = System.nanoTime() - wallStart;
    if (wall <= timeoutNanos) return;
    if (wall > WALL_FACTOR * timeoutNanos || cpuNow() - cpuStart > timeoutNanos) {
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
