package aha.recipe;

import aha.BadInputException;
import java.util.List;

/** One or more problems in a recipe, each located as {@code file:line:column: key.path: message}. */
public final class RecipeError extends BadInputException {
  private final List<String> problems;

  public RecipeError(List<String> problems) {
    super(String.join(System.lineSeparator(), problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
