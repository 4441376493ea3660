package aha.filter;

import aha.dataset.Completion;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The per-generation checks of the filter, in the order of {@link Reason}: completeness, format,
 * correctness, length, language, repetition and R1's optional paragraph and code-block filters.
 * Every bound that is null is off.
 *
 * @param maxMinorScriptShare letters outside the trace's main script allowed before it counts as
 *     mixed language (a name or a quoted word in another script stays below it)
 * @param completionContamination n-grams of eval sets checked against the whole assistant text, or
 *     null to check prompts only (open-r1's behaviour)
 */
public record TraceChecks(
    boolean requireStop,
    boolean requireFormat,
    Integer minTokens,
    Integer maxTokens,
    TokenCounter tokens,
    boolean rejectMixedLanguage,
    double maxMinorScriptShare,
    Double maxRepetition,
    int repetitionNgram,
    Integer maxParagraphChars,
    boolean rejectCodeBlocks,
    Contamination completionContamination)
    implements Serializable {

  static final String OPEN_THINK = "<think>";
  static final String CLOSE_THINK = "</think>";

  /** Only completeness and correctness: what every rejection-sampling setup does. */
  public static TraceChecks minimal() {
    return new TraceChecks(true, false, null, null, TokenCounter.WORDS, false, 0.01, null, 4, null, false, null);
  }

  /**
   * The first reason to drop this generation, or null to keep it.
   *
   * @param verdict the verifier's verdict on it (null: undecidable)
   */
  public Reason firstFailure(Completion c, Boolean verdict) {
    if (requireStop && !"stop".equals(c.finishReason())) return Reason.INCOMPLETE;
    String text = c.assistantText();
    if (requireFormat) {
      Reason f = formatFailure(text);
      if (f != null) return f;
    }
    if (verdict == null) return Reason.UNVERIFIED;
    if (!verdict) return Reason.INCORRECT;
    if (minTokens != null || maxTokens != null) {
      int n = tokens.count(text);
      if (minTokens != null && n < minTokens) return Reason.TOO_SHORT;
      if (maxTokens != null && n > maxTokens) return Reason.TOO_LONG;
    }
    if (rejectMixedLanguage && Scripts.mixed(prompt(c), text, maxMinorScriptShare)) return Reason.MIXED_LANGUAGE;
    if (maxRepetition != null && repetitionRate(text, repetitionNgram) > maxRepetition) return Reason.REPETITIVE;
    if (maxParagraphChars != null && longestParagraph(c.reasoning().isEmpty() ? text : c.reasoning()) > maxParagraphChars) {
      return Reason.LONG_PARAGRAPH;
    }
    if (rejectCodeBlocks && text.contains("```")) return Reason.CODE_BLOCK;
    if (completionContamination != null && !completionContamination.setsHit(text).isEmpty()) {
      return Reason.CONTAMINATED_COMPLETION;
    }
    return null;
  }

  /**
   * R1's shape: exactly one closed {@code <think>} block, then exactly one final answer after it
   * (one {@code <answer>} block, or else one {@code \boxed{}}).
   */
  static Reason formatFailure(String text) {
    int open = occurrences(text, OPEN_THINK);
    int close = occurrences(text, CLOSE_THINK);
    if (open != 1 || close != 1 || text.indexOf(CLOSE_THINK) < text.indexOf(OPEN_THINK)) return Reason.UNCLOSED_THINK;
    int answers = finalAnswers(text.substring(text.indexOf(CLOSE_THINK) + CLOSE_THINK.length()));
    if (answers == 0) return Reason.NO_ANSWER;
    return answers > 1 ? Reason.MULTIPLE_ANSWERS : null;
  }

  /** Final answers in the visible part: {@code <answer>} blocks if any tag is there, else {@code \boxed{}}s. */
  static int finalAnswers(String visible) {
    int open = occurrences(visible, "<answer>");
    int close = occurrences(visible, "</answer>");
    if (open > 0 || close > 0) return open == close ? open : Math.max(open, close) > 1 ? 2 : 0;
    return occurrences(visible, "\\boxed{");
  }

  /**
   * The share of repeated word n-grams, {@code 1 - distinct/total} (the measure of open-r1's
   * repetition penalty): 0 for text without repeats, towards 1 for a loop.
   */
  public static double repetitionRate(String text, int n) {
    String[] w = text.toLowerCase(Locale.ROOT).trim().split("\\s+");
    int total = w.length - n + 1;
    if (w.length == 0 || w[0].isEmpty() || total <= 0) return 0.0;
    List<String> words = Arrays.asList(w);
    Set<List<String>> distinct = new HashSet<>();
    for (int i = 0; i < total; i++) distinct.add(words.subList(i, i + n));
    return 1.0 - (double) distinct.size() / total;
  }

  /** Characters in the longest paragraph (paragraphs are separated by blank lines). */
  public static int longestParagraph(String text) {
    int best = 0;
    for (String p : text.split("\\n\\s*\\n")) best = Math.max(best, p.strip().length());
    return best;
  }

  /** The last user message: the prompt the trace answers. */
  static String prompt(Completion c) {
    String p = c.problem().problem();
    for (Completion.Message m : c.messages()) if (m.role().equals("user")) p = m.content();
    return p;
  }

  static int occurrences(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) count++;
    return count;
  }
}
