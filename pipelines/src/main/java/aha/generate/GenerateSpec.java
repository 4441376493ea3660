package aha.generate;

import aha.recipe.Checks;
import aha.recipe.StageSpec;
import java.util.List;

/**
 * The generate stage: {@code num_generations} teacher completions per problem of {@code from}.
 *
 * @param from the problems: {@code prepare} (its train split) or {@code prepare.<split>}
 * @param promptTemplate the user message; {@code {problem}} is replaced by the problem text
 * @param maxRequests the most new requests this run may send (0 = no limit); finished requests are
 *     kept in a ledger and never sent again, so a rerun after a crash or a spent budget pays only
 *     for the rest
 * @param limit generate for at most this many problems (by id order), or all when null
 * @param allowFailures finish the stage even when some samples got no completion after all
 *     retries: their rows keep the failure reason per sample (the filter rejects them as {@code
 *     failed}). By default (false) such a run fails, naming the first reason, and a rerun re-sends
 *     only the missing requests: a dataset with holes never passes for complete by accident.
 */
public record GenerateSpec(
    String name,
    String from,
    TeacherSpec teacher,
    Integer numGenerations,
    SamplingSpec sampling,
    String systemPrompt,
    String promptTemplate,
    Long maxRequests,
    Integer limit,
    Integer shards,
    Boolean allowFailures)
    implements StageSpec {

  public GenerateSpec {
    from = from == null ? "prepare" : from;
    promptTemplate = promptTemplate == null ? "{problem}" : promptTemplate;
    maxRequests = maxRequests == null ? 0L : maxRequests;
    shards = shards == null ? 1 : shards;
    allowFailures = allowFailures == null ? Boolean.FALSE : allowFailures;
  }

  @Override
  public String type() {
    return "generate";
  }

  @Override
  public List<String> inputs() {
    return List.of(from);
  }

  @Override
  public List<String> outputSplits() {
    return List.of("train");
  }

  /** The split of {@code from} to read. */
  public String fromSplit() {
    return from.contains(".") ? from.substring(from.indexOf('.') + 1) : "train";
  }

  @Override
  public void validate(Checks c) {
    c.require(teacher, "teacher");
    if (teacher != null) teacher.validate(c.at("teacher"));
    c.require(numGenerations, "num_generations");
    c.range(numGenerations, "num_generations", 1, 1024);
    c.require(sampling, "sampling");
    if (sampling != null) sampling.validate(c.at("sampling"));
    if (!promptTemplate.contains("{problem}")) c.fail("prompt_template", "must contain {problem}");
    c.range(maxRequests, "max_requests", 0, Long.MAX_VALUE);
    c.range(limit, "limit", 1, Integer.MAX_VALUE);
    c.range(shards, "shards", 1, 1024);
  }
}
