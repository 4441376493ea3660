package aha.stage;

import aha.generate.GenerateSpec;
import aha.generate.GenerateStage;
import aha.prepare.PrepareSpec;
import aha.prepare.PrepareStage;
import aha.recipe.StageSpec;
import aha.sft.SftSpec;
import aha.sft.SftStage;
import java.util.Map;

/** Which implementation runs each spec type. */
final class Stages {
  private static final Map<Class<? extends StageSpec>, Stage<?>> BY_SPEC = Map.of(
      PrepareSpec.class, new PrepareStage(),
      GenerateSpec.class, new GenerateStage(),
      SftSpec.class, new SftStage());

  private Stages() {}

  @SuppressWarnings("unchecked")
  static <S extends StageSpec> Stage<S> of(S spec) {
    Stage<?> stage = BY_SPEC.get(spec.getClass());
    if (stage == null) throw new IllegalStateException("no implementation for stage type " + spec.type());
    return (Stage<S>) stage;
  }
}
