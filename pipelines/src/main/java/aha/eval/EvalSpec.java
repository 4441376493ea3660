package aha.eval;

import aha.recipe.Checks;
import aha.recipe.StageSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The eval stage: {@code n_samples} completions per problem for every model and set, verified,
 * scored as pass@1 with its standard error, pass@k and maj@k.
 *
 * <p>Sampling defaults to open-r1's evaluation settings (temperature 0.6, top_p 0.95); with {@code
 * greedy} (default true) one greedy completion per problem is also scored. {@code n_samples} is
 * required: it sets how precise pass@1 is and what pass@k can be reported.
 *
 * @param promptTemplate the user message; {@code {problem}} is replaced by the problem text
 * @param responsePrefix text appended after the assistant header (e.g. {@code "<think>\n"}), to
 *     match how the model was trained; it is not part of the scored completion
 * @param requireAnchor math answers count only when anchored ({@code <answer>}, {@code \boxed{}},
 *     "final answer"), as in open-r1's accuracy reward (default true)
 * @param seed the sampling seed (default: the recipe's)
 * @param batchSize completions generated together (operational)
 */
public record EvalSpec(
    String name,
    List<EvalModel> models,
    List<EvalSet> sets,
    Integer nSamples,
    Double temperature,
    Double topP,
    Integer maxNewTokens,
    String systemPrompt,
    String promptTemplate,
    String responsePrefix,
    Boolean greedy,
    Boolean requireAnchor,
    Long seed,
    Integer batchSize)
    implements StageSpec {

  public EvalSpec {
    models = models == null ? null : List.copyOf(models);
    sets = sets == null ? null : List.copyOf(sets);
    temperature = temperature == null ? 0.6 : temperature;
    topP = topP == null ? 0.95 : topP;
    maxNewTokens = maxNewTokens == null ? 512 : maxNewTokens;
    promptTemplate = promptTemplate == null ? "{problem}" : promptTemplate;
    responsePrefix = responsePrefix == null ? "" : responsePrefix;
    greedy = greedy == null ? Boolean.TRUE : greedy;
    requireAnchor = requireAnchor == null ? Boolean.TRUE : requireAnchor;
    batchSize = batchSize == null ? 64 : batchSize;
  }

  @Override
  public String type() {
    return "eval";
  }

  @Override
  public List<String> inputs() {
    Set<String> refs = new LinkedHashSet<>();
    if (models != null)
      for (EvalModel m : models) if (m != null && m.stage() != null) refs.add(m.stage());
    if (sets != null) for (EvalSet s : sets) if (s != null && s.from() != null) refs.add(s.from());
    return new ArrayList<>(refs);
  }

  @Override
  public void validate(Checks c) {
    c.require(models, "models");
    c.require(sets, "sets");
    if (models != null && models.isEmpty()) c.fail("models", "must list at least one model");
    if (sets != null && sets.isEmpty()) c.fail("sets", "must list at least one set");
    Set<String> labels = new HashSet<>();
    for (int i = 0; models != null && i < models.size(); i++) {
      EvalModel m = models.get(i);
      if (m == null) {
        c.fail("models[" + i + "]", "is empty");
        continue;
      }
      m.validate(c.at("models").at("[" + i + "]"));
      if (m.label() != null && !labels.add(m.label()))
        c.fail("models[" + i + "].label", "repeats '" + m.label() + "'");
    }
    labels.clear();
    for (int i = 0; sets != null && i < sets.size(); i++) {
      EvalSet s = sets.get(i);
      if (s == null) {
        c.fail("sets[" + i + "]", "is empty");
        continue;
      }
      s.validate(c.at("sets").at("[" + i + "]"));
      if (s.label() != null && !labels.add(s.label()))
        c.fail("sets[" + i + "].label", "repeats '" + s.label() + "'");
    }
    c.require(nSamples, "n_samples");
    c.range(nSamples, "n_samples", 1, 4096);
    c.range(temperature, "temperature", 0, 10);
    if (topP <= 0 || topP > 1) c.fail("top_p", "must be in (0, 1], got " + topP);
    c.range(maxNewTokens, "max_new_tokens", 1, 1_000_000);
    if (!promptTemplate.contains("{problem}")) c.fail("prompt_template", "must contain {problem}");
    c.range(batchSize, "batch_size", 1, 65536);
  }
}
