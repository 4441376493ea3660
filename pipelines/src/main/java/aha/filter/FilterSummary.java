package aha.filter;

import java.util.Map;
import java.util.TreeMap;

/**
 * The filter's {@code summary.md}: rows kept and rejected by reason, problems per pass-rate bin,
 * token lengths of the kept traces and eval-set overlap, all read from the stage's counters.
 */
public final class FilterSummary {
  private FilterSummary() {}

  public static String markdown(FilterSpec spec, Map<String, Long> counters) {
    long input = counters.getOrDefault("filter.input", 0L);
    long kept = counters.getOrDefault("filter.kept", 0L);
    StringBuilder b = new StringBuilder("# Filter summary\n\n");
    b.append(String.format("Verifier `%s`, keep `%s`. %d generations of %d problems in; %d kept (%s) from %d problems, %d rejected.%n%n",
        spec.verifier(), spec.keep(), input, counters.getOrDefault("filter.problems", 0L), kept, percent(kept, input),
        counters.getOrDefault("filter.problems_kept", 0L), counters.getOrDefault("filter.rejected", 0L)));
    b.append("## Rejected by reason\n\n| reason | rows | share of input |\n|---|---:|---:|\n");
    for (Reason r : Reason.values()) {
      long n = counters.getOrDefault(r.counter(), 0L);
      if (n > 0) b.append(String.format("| %s | %d | %s |%n", r.label(), n, percent(n, input)));
    }
    b.append("\n## Pass rate per problem\n\n");
    if (spec.passRate() != null) {
      b.append(String.format("Problems with pass rate in [%s, %s] went to `prompts`: %d.%n%n", spec.passRate().min(), spec.passRate().max(),
          counters.getOrDefault("filter.prompts", 0L)));
    }
    b.append("| pass rate | problems | |\n|---|---:|---|\n");
    histogram(b, counters, "filter.pass_rate.");
    b.append("\n## Tokens per kept trace\n\n| tokens | traces | |\n|---|---:|---|\n");
    histogram(b, counters, "filter.kept_tokens.");
    Map<String, Long> sets = select(counters, "filter.eval_problems.");
    if (!sets.isEmpty()) {
      b.append("\n## Decontamination (word ").append(spec.decontaminate().ngramSize()).append("-grams)\n\n");
      b.append("| eval set | eval problems | training problems dropped |\n|---|---:|---:|\n");
      sets.forEach((set, n) -> b.append(String.format("| %s | %d | %d |%n", set, n, counters.getOrDefault("filter.contaminated." + set, 0L))));
    }
    return b.toString();
  }

  /** The token-length bin of a kept trace: the power of two at or above it, at least 16. */
  static String tokenBin(int tokens) {
    int hi = 16;
    while (hi < tokens && hi < (1 << 30)) hi <<= 1;
    return String.format("filter.kept_tokens.le_%07d", hi);
  }

  private static void histogram(StringBuilder b, Map<String, Long> counters, String prefix) {
    Map<String, Long> bins = select(counters, prefix);
    long max = bins.values().stream().mapToLong(Long::longValue).max().orElse(1);
    bins.forEach((bin, n) -> b.append(String.format("| %s | %d | %s |%n", bin.replaceFirst("^le_0*", "<= "), n,
        "#".repeat((int) Math.round(30.0 * n / max)))));
  }

  private static Map<String, Long> select(Map<String, Long> counters, String prefix) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> {
      if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
    });
    return out;
  }

  private static String percent(long n, long of) {
    return of == 0 ? "-" : String.format("%.1f%%", 100.0 * n / of);
  }
}
