package aha.recipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.Arrays;
import java.util.List;

/** The stage type names a recipe may use, read from {@link StageSpec}'s subtype list. */
public final class StageTypes {
  private StageTypes() {}

  public static List<String> names() {
    return Arrays.stream(StageSpec.class.getAnnotation(JsonSubTypes.class).value())
        .map(JsonSubTypes.Type::name)
        .toList();
  }
}
