package aha.report;

import aha.recipe.Checks;
import aha.recipe.StageSpec;
import java.util.List;

/**
 * The report stage: summary.json (DESIGN contract 8), report.md and PNG plots from the finished
 * sft, grpo and eval stages named in {@code from} (each recognised by its manifest's type).
 *
 * @param from the stages to report on (default {@code [sft, grpo, eval]}); at most one of each type
 * @param aha how the aha step is found (see {@link AhaRule})
 * @param quotes completions quoted from before and from after the aha step (default 2 each)
 * @param quoteChars longest quote, in characters (longer ones keep their start and end)
 */
public record ReportSpec(
    String name, List<String> from, AhaRule aha, Integer quotes, Integer quoteChars)
    implements StageSpec {

  public ReportSpec {
    from = from == null ? List.of("sft", "grpo", "eval") : List.copyOf(from);
    aha = aha == null ? AhaRule.DEFAULT : aha;
    quotes = quotes == null ? 2 : quotes;
    quoteChars = quoteChars == null ? 800 : quoteChars;
  }

  @Override
  public String type() {
    return "report";
  }

  @Override
  public List<String> inputs() {
    return from;
  }

  @Override
  public void validate(Checks c) {
    if (from.isEmpty()) c.fail("from", "must name at least one stage (sft, grpo or eval)");
    for (int i = 0; i < from.size(); i++) {
      if (from.get(i) == null || from.get(i).contains("."))
        c.fail("from[" + i + "]", "must be a stage name");
    }
    aha.validate(c.at("aha"));
    c.range(quotes, "quotes", 0, 100);
    c.range(quoteChars, "quote_chars", 40, 100_000);
  }
}
