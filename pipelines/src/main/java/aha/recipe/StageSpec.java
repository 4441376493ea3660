package aha.recipe;

import aha.eval.EvalSpec;
import aha.generate.GenerateSpec;
import aha.filter.FilterSpec;
import aha.prepare.PrepareSpec;
import aha.publish.PublishSpec;
import aha.report.ReportSpec;
import aha.sft.SftSpec;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One entry of a recipe's {@code stages} list. The {@code type} key picks the record; each stage
 * type keeps its spec record next to its implementation (e.g. {@code aha.prepare.PrepareSpec}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PrepareSpec.class, name = "prepare"),
  @JsonSubTypes.Type(value = GenerateSpec.class, name = "generate"),
  @JsonSubTypes.Type(value = FilterSpec.class, name = "filter"),
  @JsonSubTypes.Type(value = SftSpec.class, name = "sft"),
  @JsonSubTypes.Type(value = aha.grpo.stage.GrpoSpec.class, name = "grpo"),
  @JsonSubTypes.Type(value = EvalSpec.class, name = "eval"),
  @JsonSubTypes.Type(value = ReportSpec.class, name = "report"),
  @JsonSubTypes.Type(value = PublishSpec.class, name = "publish")
})
public interface StageSpec {
  /** The {@code type} key. */
  String type();

  /** The optional {@code name} key; stages are referred to by {@link #stageName()}. */
  String name();

  default String stageName() {
    return name() != null ? name() : type();
  }

  /** References to earlier stages ({@code prepare} or {@code prepare.eval}) this stage reads. */
  default List<String> inputs() {
    return List.of();
  }

  /** Splits this stage writes under {@code data/}, which later stages may name as {@code stage.split}. */
  default List<String> outputSplits() {
    return List.of();
  }

  /** Checks ranges and combinations that the YAML types alone cannot express. */
  void validate(Checks checks);
}
