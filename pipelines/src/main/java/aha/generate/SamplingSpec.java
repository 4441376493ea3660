package aha.generate;

import aha.recipe.Checks;
import java.io.Serializable;
import java.util.Map;

/**
 * Sampling settings sent with every request ({@code temperature} is required: it changes the data).
 *
 * @param extra other fields passed through unchanged ({@code seed}, {@code min_p}, ...)
 */
public record SamplingSpec(Double temperature, Double topP, Integer maxTokens, Map<String, Object> extra)
    implements Serializable {
  public SamplingSpec {
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  void validate(Checks c) {
    c.require(temperature, "temperature");
    c.range(temperature, "temperature", 0, 2);
    c.range(topP, "top_p", 0, 1);
    c.range(maxTokens, "max_tokens", 1, 1_000_000);
  }
}
