package aha.filter;

import java.util.Locale;

/**
 * Why the filter dropped a generation. Every rejected row carries exactly one reason (the first
 * check it failed, in the order below), and each reason has a counter {@code
 * filter.rejected_<reason>} in the manifest.
 */
public enum Reason {
  // problem-level: every generation of the problem is dropped
  CONTAMINATED,
  DUPLICATE_PROBLEM,
  NEAR_DUPLICATE_PROBLEM,
  // per generation, in the order they are checked
  /** The teacher gave no completion (the generate stage ran with {@code allow_failures}). */
  FAILED,
  INCOMPLETE,
  UNCLOSED_THINK,
  NO_ANSWER,
  MULTIPLE_ANSWERS,
  UNVERIFIED,
  INCORRECT,
  TOO_SHORT,
  TOO_LONG,
  MIXED_LANGUAGE,
  REPETITIVE,
  LONG_PARAGRAPH,
  CODE_BLOCK,
  CONTAMINATED_COMPLETION,
  // among the survivors of one problem
  DUPLICATE_TRACE,
  NEAR_DUPLICATE_TRACE,
  KEEP_POLICY;

  /** The snake_case name written in the {@code reason} column. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The manifest counter of this reason. */
  public String counter() {
    return "filter.rejected_" + label();
  }

  public static Reason ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
