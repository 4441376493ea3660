package aha.prepare;

import aha.recipe.Checks;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Countdown problems: {@code numbers} numbers in [min_number, max_number] and a target in
 * [min_target, max_target] that some expression using every number once (+ - * / and
 * parentheses) reaches exactly.
 *
 * @param style {@code long} ("Using the numbers [3, 7, 9], create an equation that equals 30. ...",
 *     the public datasets' wording) or {@code short} ("Use 3 7 9 to make 30.", for tiny students)
 */
// the interface's reader picks this record; this one binds normally
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = com.fasterxml.jackson.databind.JsonDeserializer.None.class)
public record CountdownSource(
    Integer count, Integer numbers, Integer minNumber, Integer maxNumber, Integer minTarget, Integer maxTarget, String style)
    implements ProblemSource {
  public CountdownSource {
    numbers = numbers == null ? 3 : numbers;
    minNumber = minNumber == null ? 1 : minNumber;
    maxNumber = maxNumber == null ? 12 : maxNumber;
    minTarget = minTarget == null ? 1 : minTarget;
    maxTarget = maxTarget == null ? 60 : maxTarget;
    style = style == null ? "long" : style;
  }

  @JsonProperty("generator")
  public String generator() {
    return "countdown";
  }

  @Override
  public void validate(Checks c) {
    c.require(count, "count");
    c.range(count, "count", 1, 100_000_000);
    c.range(numbers, "numbers", 2, 5);
    c.range(minNumber, "min_number", 1, 1_000_000);
    c.range(maxNumber, "max_number", 1, 1_000_000);
    c.range(minTarget, "min_target", 0, 1_000_000_000);
    c.range(maxTarget, "max_target", 1, 1_000_000_000);
    if (minNumber > maxNumber) c.fail("max_number", "must be at least min_number (" + minNumber + "), got " + maxNumber);
    if (minTarget > maxTarget) c.fail("max_target", "must be at least min_target (" + minTarget + "), got " + maxTarget);
    c.oneOf(style, "style", List.of("long", "short"));
  }
}
