package aha.prepare;

import aha.recipe.Checks;
import aha.recipe.StageSpec;
import java.util.List;

/**
 * The prepare stage: problems from a built-in generator or a dataset file, de-duplicated by
 * normalised text, with {@code eval_holdout} problems held out as the {@code eval} split.
 *
 * @param evalHoldout how many problems go to {@code eval} (chosen by a seeded hash, so the choice
 *     does not depend on the runner or on row order)
 * @param dedupe drop problems whose normalised text repeats (default true)
 * @param shards Parquet files per split (default 1)
 */
public record PrepareSpec(String name, ProblemSource source, Integer evalHoldout, Boolean dedupe, Integer shards)
    implements StageSpec {
  public static final String TRAIN = "train";
  public static final String EVAL = "eval";

  public PrepareSpec {
    evalHoldout = evalHoldout == null ? 0 : evalHoldout;
    dedupe = dedupe == null ? Boolean.TRUE : dedupe;
    shards = shards == null ? 1 : shards;
  }

  @Override
  public String type() {
    return "prepare";
  }

  @Override
  public List<String> outputSplits() {
    return List.of(TRAIN, EVAL);
  }

  @Override
  public void validate(Checks c) {
    c.require(source, "source");
    if (source != null) source.validate(c.at("source"));
    c.range(evalHoldout, "eval_holdout", 0, 10_000_000);
    c.range(shards, "shards", 1, 1024);
  }
}
