package aha.prepare;

/** Seeds derived from the recipe seed and a row index, so any worker generates row i the same way. */
final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser of {@code seed} and {@code index}: well mixed, cheap, stateless. */
  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
