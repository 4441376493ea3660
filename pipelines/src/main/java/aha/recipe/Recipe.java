package aha.recipe;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole run: {@code name} names the folder {@code <output_dir>/<name>/}, {@code seed} makes it
 * repeatable, and {@code stages} run in order, each reading earlier stages' outputs.
 */
public record Recipe(String name, Long seed, String outputDir, List<StageSpec> stages) {
  public static final String DEFAULT_OUTPUT_DIR = "datasets";

  public Recipe {
    outputDir = outputDir == null ? DEFAULT_OUTPUT_DIR : outputDir;
    stages = stages == null ? null : List.copyOf(stages);
  }

  public void validate(Checks checks) {
    checks.require(name, "name");
    if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      checks.fail("name", "must be a folder name (letters, digits, '.', '_', '-'), got '" + name + "'");
    }
    checks.require(seed, "seed");
    checks.require(stages, "stages");
    if (stages == null) return;
    if (stages.isEmpty()) checks.fail("stages", "must list at least one stage");
    Map<String, StageSpec> earlier = new HashMap<>();
    for (int i = 0; i < stages.size(); i++) {
      StageSpec s = stages.get(i);
      Checks at = checks.at("stages").at("[" + i + "]");
      if (s == null) {
        at.fail("", "is empty; expected a mapping with a 'type' key");
        continue;
      }
      s.validate(at);
      if (earlier.containsKey(s.stageName())) {
        at.fail("name", "'" + s.stageName() + "' is used by an earlier stage; give this one another 'name'");
      }
      for (String ref : s.inputs()) checkReference(ref, earlier, at);
      earlier.put(s.stageName(), s);
    }
  }

  private static void checkReference(String ref, Map<String, StageSpec> earlier, Checks at) {
    String stage = ref.contains(".") ? ref.substring(0, ref.indexOf('.')) : ref;
    StageSpec target = earlier.get(stage);
    if (target == null) {
      String hint = Suggest.nearest(stage, earlier.keySet()).map(s -> "; did you mean '" + s + "'?").orElse("");
      at.fail("from", "refers to '" + ref + "', which is not an earlier stage " + earlier.keySet() + hint);
      return;
    }
    if (ref.contains(".")) {
      String split = ref.substring(ref.indexOf('.') + 1);
      if (!target.outputSplits().contains(split)) {
        at.fail("from", "refers to split '" + split + "' of stage '" + stage + "', which writes " + target.outputSplits());
      }
    }
  }

  /** The stage with this name, or null. */
  public StageSpec stage(String stageName) {
    return stages.stream().filter(s -> s.stageName().equals(stageName)).findFirst().orElse(null);
  }
}
