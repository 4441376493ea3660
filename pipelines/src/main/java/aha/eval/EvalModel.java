package aha.eval;

import aha.recipe.Checks;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One model to evaluate. In a recipe either an earlier training stage's name ({@code sft}: its
 * {@code checkpoint/} folder) or a mapping with a {@code label} and exactly one of {@code init:
 * tiny} (the untrained tiny student, seeded with {@code seed} or the recipe's seed), {@code path:
 * DIR} (a Hugging Face model folder) or {@code hub: org/name} (with {@code revision}), or {@code
 * stage: sft} with an optional {@code checkpoint} folder name inside that stage's folder (default
 * {@code checkpoint}; e.g. {@code init} for a training stage's saved starting point).
 */
public record EvalModel(
    String label,
    String stage,
    String checkpoint,
    String init,
    String path,
    String hub,
    String revision,
    Long seed) {

  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public EvalModel(
      @JsonProperty("label") String label,
      @JsonProperty("stage") String stage,
      @JsonProperty("checkpoint") String checkpoint,
      @JsonProperty("init") String init,
      @JsonProperty("path") String path,
      @JsonProperty("hub") String hub,
      @JsonProperty("revision") String revision,
      @JsonProperty("seed") Long seed) {
    this.stage = stage;
    this.checkpoint = stage != null && checkpoint == null ? "checkpoint" : checkpoint;
    this.init = init;
    this.path = path;
    this.hub = hub;
    this.revision = hub != null && revision == null ? "main" : revision;
    this.seed = seed;
    this.label = label != null ? label : stage;
  }

  /** The short form: an earlier stage's name. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static EvalModel ofStage(String stage) {
    return new EvalModel(null, stage, null, null, null, null, null, null);
  }

  void validate(Checks c) {
    int sources =
        (stage != null ? 1 : 0)
            + (init != null ? 1 : 0)
            + (path != null ? 1 : 0)
            + (hub != null ? 1 : 0);
    if (sources != 1) c.fail("", "needs exactly one of a stage name, init, path or hub");
    if (label == null) c.require(label, "label");
    if (label != null && !label.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      c.fail("label", "must be letters, digits, '.', '_' or '-', got '" + label + "'");
    }
    if (init != null) c.oneOf(init, "init", java.util.List.of("tiny"));
    if (checkpoint != null && stage == null)
      c.fail("checkpoint", "only applies to a stage reference");
    if (checkpoint != null && !checkpoint.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      c.fail(
          "checkpoint", "must be a folder name inside the stage folder, got '" + checkpoint + "'");
    }
    if (seed != null && init == null) c.fail("seed", "only applies to init: tiny");
  }
}
