package aha.prepare;

import aha.recipe.Checks;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Where the prepare stage's problems come from: {@code {generator: countdown|arithmetic|linear,
 * ...}} or a dataset {@code {path: ...}} / {@code {hub: ...}}.
 */
@JsonDeserialize(using = ProblemSource.Reader.class)
public interface ProblemSource extends Serializable {
  Map<String, Class<? extends ProblemSource>> GENERATORS =
      Map.of(
          "countdown", CountdownSource.class,
          "arithmetic", ArithmeticSource.class,
          "linear", LinearSource.class);

  void validate(Checks checks);

  /** Picks the record by the {@code generator} key, or a dataset source when there is none. */
  final class Reader extends JsonDeserializer<ProblemSource> {
    @Override
    public ProblemSource deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode node = p.readValueAsTree();
      if (!(node instanceof ObjectNode obj)) {
        return (ProblemSource)
            ctxt.reportInputMismatch(
                ProblemSource.class, "expected a mapping with 'generator', 'path' or 'hub'");
      }
      JsonNode generator = obj.get("generator");
      if (generator == null) return ctxt.readTreeAsValue(obj, DatasetSource.class);
      Class<? extends ProblemSource> type = GENERATORS.get(generator.asText());
      if (type == null) {
        String hint =
            aha.recipe.Suggest.nearest(generator.asText(), GENERATORS.keySet())
                .map(s -> "; did you mean '" + s + "'?")
                .orElse("");
        return (ProblemSource)
            ctxt.reportInputMismatch(
                ProblemSource.class,
                "generator '" + generator.asText() + "' is not built in" + hint
                    + " (expected one of " + List.copyOf(new java.util.TreeSet<>(GENERATORS.keySet())) + ")");
      }
      ObjectNode rest = obj.deepCopy();
      rest.remove("generator");
      return ctxt.readTreeAsValue(rest, type);
    }
  }
}
