package aha.filter;

import aha.recipe.Checks;
import aha.recipe.StageSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The filter stage (rejection sampling): reads the generate stage's completions and writes the
 * verified, clean traces as an SFT dataset ({@code train}), every dropped row with its reason
 * ({@code rejected}) and, with {@code pass_rate}, the problems for GRPO ({@code prompts}).
 *
 * <pre>
 * - type: filter
 *   verifier: countdown            # or math (required)
 *   require_format: true           # one closed think block, one final answer
 *   max_tokens: 4096               # in the student's tokens with tokenizer: {path: DIR} or {hub: org/name}
 *   keep: all                      # all | first | shortest
 *   pass_rate: {min: 0.1, max: 0.9}
 *   dedupe: {near_threshold: 0.9}
 *   decontaminate: {ngram_size: 8, against: [prepare.eval, ../shared/datasets/math500/test.jsonl]}
 * </pre>
 *
 * @param from the stage whose {@code train} split holds the completions (default {@code generate})
 * @param tokenCounter how length bounds count tokens without a tokenizer: {@code words} (default,
 *     an approximation) or {@code chars} (code points)
 * @param tokenizer the student's tokenizer, so that {@code min_tokens}/{@code max_tokens} (and
 *     {@code keep: shortest}, the kept-length histogram) count real student tokens; excludes
 *     {@code token_counter}
 * @param rejectMixedLanguage drop traces that switch script (default true)
 * @param maxRepetition drop traces whose repeated word n-gram share exceeds this (off by default)
 * @param repetitionNgram n of those n-grams (default 4)
 * @param maxParagraphChars R1's long-paragraph filter, in characters of the reasoning (off by default)
 * @param rejectCodeBlocks R1's filter of code blocks in math traces (default false)
 * @param shards Parquet files of the {@code train} split (default 1)
 */
public record FilterSpec(
    String name,
    String from,
    String verifier,
    Boolean requireFormat,
    Boolean requireStop,
    Integer minTokens,
    Integer maxTokens,
    String tokenCounter,
    Boolean rejectMixedLanguage,
    Double maxRepetition,
    Integer repetitionNgram,
    Integer maxParagraphChars,
    Boolean rejectCodeBlocks,
    String keep,
    Integer maxPerProblem,
    PassRateSpec passRate,
    DedupeSpec dedupe,
    DecontaminateSpec decontaminate,
    Integer shards,
    TokenizerSpec tokenizer)
    implements StageSpec {

  public static final String TRAIN = "train";
  public static final String REJECTED = "rejected";
  public static final String PROMPTS = "prompts";
  public static final List<String> VERIFIERS = List.of("math", "countdown");

  /** Problems whose pass rate lies in {@code [min, max]} become GRPO prompts. */
  public record PassRateSpec(Double min, Double max) {}

  /**
   * @param problems drop problems that repeat an earlier one (default true)
   * @param traces drop traces of a problem that repeat another (default true)
   * @param nearThreshold also drop near-duplicates at this word-shingle Jaccard similarity (off by default)
   */
  public record DedupeSpec(Boolean problems, Boolean traces, Double nearThreshold) {
    public DedupeSpec {
      problems = problems == null ? Boolean.TRUE : problems;
      traces = traces == null ? Boolean.TRUE : traces;
    }
  }

  /**
   * @param against eval sets: stage references ({@code prepare.eval}) or JSONL / Parquet files with a
   *     {@code problem} field (paths relative to the working directory)
   * @param completions also check the teacher's traces, not only prompts (default false, as open-r1)
   */
  public record DecontaminateSpec(Integer ngramSize, List<String> against, Boolean completions) {
    public DecontaminateSpec {
      ngramSize = ngramSize == null ? 8 : ngramSize;
      against = against == null ? null : List.copyOf(against);
      completions = completions == null ? Boolean.FALSE : completions;
    }
  }

  /**
   * Where the student's tokenizer is: exactly one of {@code path} (a folder with {@code
   * tokenizer.json}, such as a checkpoint) or {@code hub} (a model repository, at {@code revision},
   * default {@code main}).
   */
  public record TokenizerSpec(String path, String hub, String revision) {
    public TokenizerSpec {
      if (hub != null) revision = revision == null ? "main" : revision;
    }
  }

  /** A spec without the student's tokenizer (length bounds by {@code token_counter}). */
  public FilterSpec(String name, String from, String verifier, Boolean requireFormat, Boolean requireStop,
      Integer minTokens, Integer maxTokens, String tokenCounter, Boolean rejectMixedLanguage, Double maxRepetition,
      Integer repetitionNgram, Integer maxParagraphChars, Boolean rejectCodeBlocks, String keep, Integer maxPerProblem,
      PassRateSpec passRate, DedupeSpec dedupe, DecontaminateSpec decontaminate, Integer shards) {
    this(name, from, verifier, requireFormat, requireStop, minTokens, maxTokens, tokenCounter, rejectMixedLanguage,
        maxRepetition, repetitionNgram, maxParagraphChars, rejectCodeBlocks, keep, maxPerProblem, passRate, dedupe,
        decontaminate, shards, null);
  }

  public FilterSpec {
    from = from == null ? "generate" : from;
    requireFormat = requireFormat == null ? Boolean.TRUE : requireFormat;
    requireStop = requireStop == null ? Boolean.TRUE : requireStop;
    tokenCounter = tokenCounter == null && tokenizer == null ? "words" : tokenCounter;
    rejectMixedLanguage = rejectMixedLanguage == null ? Boolean.TRUE : rejectMixedLanguage;
    repetitionNgram = repetitionNgram == null ? 4 : repetitionNgram;
    rejectCodeBlocks = rejectCodeBlocks == null ? Boolean.FALSE : rejectCodeBlocks;
    keep = keep == null ? "all" : keep;
    dedupe = dedupe == null ? new DedupeSpec(null, null, null) : dedupe;
    shards = shards == null ? 1 : shards;
  }

  @Override
  public String type() {
    return "filter";
  }

  @Override
  public List<String> inputs() {
    List<String> in = new ArrayList<>(List.of(from));
    if (decontaminate != null && decontaminate.against() != null) {
      for (String ref : decontaminate.against()) if (!isFile(ref) && !in.contains(ref)) in.add(ref);
    }
    return in;
  }

  @Override
  public List<String> outputSplits() {
    return passRate == null ? List.of(TRAIN, REJECTED) : List.of(TRAIN, REJECTED, PROMPTS);
  }

  /** Whether an {@code against} entry names a file rather than a stage ({@code stage} or {@code stage.split}). */
  public static boolean isFile(String ref) {
    return ref.contains("/") || ref.contains("\\") || ref.endsWith(".jsonl") || ref.endsWith(".parquet") || ref.endsWith(".json");
  }

  @Override
  public void validate(Checks c) {
    c.require(verifier, "verifier");
    c.oneOf(verifier, "verifier", VERIFIERS);
    c.oneOf(tokenCounter, "token_counter", List.of("words", "chars"));
    if (tokenizer != null) {
      Checks t = c.at("tokenizer");
      if (tokenCounter != null) c.fail("token_counter", "cannot be set with tokenizer (the tokenizer counts the tokens)");
      if ((tokenizer.path() == null) == (tokenizer.hub() == null)) t.fail("", "needs exactly one of path or hub");
      if (tokenizer.hub() != null && !tokenizer.hub().matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
        t.fail("hub", "must be a repository id like Qwen/Qwen2.5-0.5B-Instruct, got '" + tokenizer.hub() + "'");
      }
      if (tokenizer.revision() != null && tokenizer.hub() == null) t.fail("revision", "applies only to hub");
    }
    c.oneOf(keep, "keep", KeepPolicy.NAMES);
    c.range(minTokens, "min_tokens", 0, 10_000_000);
    c.range(maxTokens, "max_tokens", 1, 10_000_000);
    if (minTokens != null && maxTokens != null && minTokens > maxTokens) {
      c.fail("min_tokens", "must not exceed max_tokens (" + maxTokens + "), got " + minTokens);
    }
    c.range(maxRepetition, "max_repetition", 0, 1);
    c.range(repetitionNgram, "repetition_ngram", 1, 64);
    c.range(maxParagraphChars, "max_paragraph_chars", 1, 100_000_000);
    c.range(maxPerProblem, "max_per_problem", 1, 1_000_000);
    c.range(shards, "shards", 1, 1024);
    if (passRate != null) {
      Checks p = c.at("pass_rate");
      p.require(passRate.min(), "min");
      p.require(passRate.max(), "max");
      p.range(passRate.min(), "min", 0, 1);
      p.range(passRate.max(), "max", 0, 1);
      if (passRate.min() != null && passRate.max() != null && passRate.min() > passRate.max()) {
        p.fail("min", "must not exceed max (" + passRate.max() + "), got " + passRate.min());
      }
    }
    if (dedupe.nearThreshold() != null) c.at("dedupe").range(dedupe.nearThreshold(), "near_threshold", 0.01, 1);
    if (decontaminate != null) {
      Checks d = c.at("decontaminate");
      d.range(decontaminate.ngramSize(), "ngram_size", 1, 64);
      d.require(decontaminate.against(), "against");
      if (decontaminate.against() != null && decontaminate.against().isEmpty()) {
        d.fail("against", "must name at least one eval set (a stage split such as prepare.eval, or a file)");
      }
    }
  }

  /** What counts tokens for this spec: the student's tokenizer when named, else the approximate counter. */
  TokenCounter counter() {
    return tokenizer != null ? StudentTokens.of(tokenizer) : TokenCounter.named(tokenCounter);
  }

  /** The per-generation checks this spec asks for. */
  TraceChecks traceChecks(TokenCounter tokens, Contamination completionIndex) {
    return new TraceChecks(requireStop, requireFormat, minTokens, maxTokens, tokens, rejectMixedLanguage, 0.01,
        maxRepetition, repetitionNgram, maxParagraphChars, rejectCodeBlocks, completionIndex);
  }

  /** The per-problem decision this spec asks for. */
  ProblemGroup problemGroup(TraceChecks checks) {
    PassRate window = passRate == null ? null : new PassRate(passRate.min(), passRate.max());
    return new ProblemGroup(checks, dedupe.traces(), dedupe.nearThreshold(), KeepPolicy.named(keep), maxPerProblem, window);
  }
}
