package aha.verify;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The "aha" markers: phrases with which a completion stops to re-examine its own work ("Wait,",
 * "let me check", "re-check", "alternatively", ...). Their rate per step, and the accuracy of
 * completions with and without them, are what the R1 paper's aha moment is measured by. GRPO
 * logs them per step and eval per model, with this one list so the two rates mean the same.
 */
public final class Reflection {
  private static final Pattern MARKERS =
      Pattern.compile(
          "\\bwait\\b|\\blet me (?:check|verify|re-?check|double-check|try again|reconsider|re-?evaluate)"
              + "|\\bre-?check|\\bdouble-check|\\balternatively\\b|\\bon second thought"
              + "|\\bthat'?s (?:wrong|not right)|\\blet'?s (?:check|verify)|\\bhmm\\b");

  private Reflection() {}

  /** Whether the text contains a reflection marker (case-insensitive). */
  public static boolean reflects(String text) {
    return text != null && MARKERS.matcher(text.toLowerCase(Locale.ROOT)).find();
  }
}
