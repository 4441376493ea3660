package aha.prepare;

import aha.recipe.Checks;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Multi-digit arithmetic: "Calculate 347 + 589." with operands of up to {@code digits} digits. */
// the interface's reader picks this record; this one binds normally
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = com.fasterxml.jackson.databind.JsonDeserializer.None.class)
public record ArithmeticSource(Integer count, Integer digits, List<String> operations) implements ProblemSource {
  static final List<String> OPERATIONS = List.of("+", "-", "*");

  public ArithmeticSource {
    digits = digits == null ? 3 : digits;
    operations = operations == null ? OPERATIONS : List.copyOf(operations);
  }

  @JsonProperty("generator")
  public String generator() {
    return "arithmetic";
  }

  @Override
  public void validate(Checks c) {
    c.require(count, "count");
    c.range(count, "count", 1, 100_000_000);
    c.range(digits, "digits", 1, 9);
    if (operations.isEmpty()) c.fail("operations", "must name at least one of " + OPERATIONS);
    for (int i = 0; i < operations.size(); i++) c.at("operations").oneOf(operations.get(i), "[" + i + "]", OPERATIONS);
  }
}
