package aha.stage;

import aha.eval.EvalSpec;
import aha.eval.EvalStage;
import aha.generate.GenerateSpec;
import aha.generate.GenerateStage;
import aha.filter.FilterSpec;
import aha.filter.FilterStage;
import aha.prepare.PrepareSpec;
import aha.prepare.PrepareStage;
import aha.publish.PublishSpec;
import aha.publish.PublishStage;
import aha.recipe.StageSpec;
import aha.report.ReportSpec;
import aha.report.ReportStage;
import aha.sft.SftSpec;
import aha.sft.SftStage;
import java.util.Map;

/** Which implementation runs each spec type. */
final class Stages {
  private static final Map<Class<? extends StageSpec>, Stage<?>> BY_SPEC = Map.of(
      PrepareSpec.class, new PrepareStage(),
      GenerateSpec.class, new GenerateStage(),
      FilterSpec.class, new FilterStage(),
      SftSpec.class, new SftStage(),
      aha.grpo.stage.GrpoSpec.class, new aha.grpo.stage.GrpoStage(),
      EvalSpec.class, new EvalStage(),
      ReportSpec.class, new ReportStage(),
      PublishSpec.class, new PublishStage());

  private Stages() {}

  @SuppressWarnings("unchecked")
  static <S extends StageSpec> Stage<S> of(S spec) {
    Stage<?> stage = BY_SPEC.get(spec.getClass());
    if (stage == null) throw new IllegalStateException("no implementation for stage type " + spec.type());
    return (Stage<S>) stage;
  }
}
