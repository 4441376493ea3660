package aha.prepare;

import aha.recipe.Checks;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Linear equations with an integer solution: "Solve for x: 3x + 5 = 20." */
// the interface's reader picks this record; this one binds normally
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = com.fasterxml.jackson.databind.JsonDeserializer.None.class)
public record LinearSource(Integer count, Integer maxCoefficient, Integer maxSolution) implements ProblemSource {
  public LinearSource {
    maxCoefficient = maxCoefficient == null ? 9 : maxCoefficient;
    maxSolution = maxSolution == null ? 20 : maxSolution;
  }

  @JsonProperty("generator")
  public String generator() {
    return "linear";
  }

  @Override
  public void validate(Checks c) {
    c.require(count, "count");
    c.range(count, "count", 1, 100_000_000);
    c.range(maxCoefficient, "max_coefficient", 2, 1_000_000);
    c.range(maxSolution, "max_solution", 1, 1_000_000);
  }
}
