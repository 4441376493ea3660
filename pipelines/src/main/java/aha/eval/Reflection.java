package aha.eval;

import java.util.regex.Pattern;

/**
 * Whether a completion reflects on its own work: a "wait", "let me check", "re-check",
 * "alternatively", "let me verify", "double-check" or "on second thought" (case-insensitive, whole
 * words), the markers of R1's aha moment. The report's reflection rate is the fraction of
 * completions where this holds.
 */
public final class Reflection {
  private static final Pattern MARKERS =
      Pattern.compile(
          "\\b(wait|let me (re-?)?check|re-?check|alternatively|let me verify|double-check|on second thought)\\b",
          Pattern.CASE_INSENSITIVE);

  private Reflection() {}

  public static boolean reflects(String completion) {
    return completion != null && MARKERS.matcher(completion).find();
  }
}
