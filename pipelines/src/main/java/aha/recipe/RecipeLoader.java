package aha.recipe;

import aha.BadInputException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads a recipe strictly: unknown keys, wrong types, duplicate keys, missing required values, out
 * of range values and bad references between stages are {@link RecipeError}s naming {@code
 * file:line:column} and the key path, with a suggestion for a misspelt key.
 */
public final class RecipeLoader {
  private static final ObjectMapper YAML = configure(YAMLMapper.builder(yamlFactory())).build();
  private static final ObjectMapper JSON =
      configure(JsonMapper.builder())
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .build();

  private RecipeLoader() {}

  private static YAMLFactory yamlFactory() {
    YAMLFactory f = new YAMLFactory();
    f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return f;
  }

  private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>>
      B configure(B b) {
    return b.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
  }

  /** The mapper for writing resolved specs into manifests: snake_case keys, sorted, no nulls. */
  public static ObjectMapper json() {
    return JSON;
  }

  public static Recipe load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadInputException("recipe file not found: " + file);
    } catch (IOException e) {
      throw new BadInputException("cannot read recipe " + file + ": " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Parses and validates recipe text; {@code label} names the file in messages. */
  public static Recipe parse(String text, String label) {
    if (text.isBlank()) {
      throw new RecipeError(List.of(label + ":1:1: the recipe is empty; expected keys name, seed and stages"));
    }
    YamlLocations locations;
    try {
      locations = YamlLocations.index(text);
    } catch (JsonProcessingException e) {
      var l = e.getLocation();
      throw new RecipeError(
          List.of(label + ":" + l.getLineNr() + ":" + l.getColumnNr() + ": YAML syntax error: " + oneLine(e.getOriginalMessage())));
    } catch (IOException e) {
      throw new BadInputException("cannot read recipe " + label + ": " + e.getMessage());
    }
    Recipe recipe;
    try {
      recipe = YAML.readValue(text, Recipe.class);
    } catch (JsonMappingException e) {
      String path = pathOf(e);
      var l = locations.find(path);
      throw new RecipeError(List.of(label + ":" + l.line() + ":" + l.column() + ": " + describe(path, e)));
    } catch (JsonProcessingException e) {
      var l = e.getLocation();
      throw new RecipeError(
          List.of(label + ":" + (l == null ? 1 : l.getLineNr()) + ":" + (l == null ? 1 : l.getColumnNr()) + ": " + e.getOriginalMessage()));
    }
    if (recipe == null) {
      throw new RecipeError(List.of(label + ":1:1: the recipe is empty; expected keys name, seed and stages"));
    }
    Checks checks = new Checks();
    recipe.validate(checks);
    List<String> problems = new ArrayList<>();
    for (Checks.Problem p : checks.problems()) {
      var l = locations.find(p.path());
      problems.add(label + ":" + l.line() + ":" + l.column() + ": " + p.path() + " " + p.message());
    }
    if (!problems.isEmpty()) throw new RecipeError(problems);
    return recipe;
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String describe(String path, JsonMappingException e) {
    String where = path.isEmpty() ? "the recipe" : path;
    if (e instanceof UnrecognizedPropertyException u) {
      Collection<Object> known = u.getKnownPropertyIds();
      String hint =
          Suggest.nearest(u.getPropertyName(), known).map(s -> "; did you mean '" + s + "'?").orElse("");
      return where + " is not a known key" + hint + " (known here: " + sorted(known) + ")";
    }
    if (e instanceof InvalidTypeIdException t) {
      String id = t.getTypeId();
      if (id == null) return where + " needs a 'type' key (one of " + StageTypes.names() + ")";
      String hint = Suggest.nearest(id, StageTypes.names()).map(s -> "; did you mean '" + s + "'?").orElse("");
      return where + ".type '" + id + "' is not a stage type" + hint + " (expected one of " + StageTypes.names() + ")";
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return where + " " + v.getCause().getMessage();
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return where + " expected " + kind(m.getTargetType()) + brief(m.getOriginalMessage());
    }
    return where + ": " + e.getOriginalMessage();
  }

  /** Jackson's own detail, cut to its first clause, for the end of a sentence. */
  private static String brief(String original) {
    if (original == null) return "";
    int cut = original.indexOf(" at [");
    String s = (cut > 0 ? original.substring(0, cut) : original).strip();
    int nl = s.indexOf('\n');
    if (nl > 0) s = s.substring(0, nl);
    return " (" + s + ")";
  }

  private static String kind(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "an integer";
    if (type == Double.class || type == double.class || type == Float.class || type == float.class) return "a number";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (type == String.class) return "a string";
    if (List.class.isAssignableFrom(type) || type.isArray()) return "a list";
    if (Map.class.isAssignableFrom(type) || type.isRecord() || type.isInterface()) return "a mapping";
    return "a " + type.getSimpleName();
  }

  private static List<String> sorted(Collection<Object> names) {
    return names.stream().map(String::valueOf).sorted().toList();
  }

  /**
   * SnakeYAML's message on one line: its sentences ("while parsing ...", "expected ..., but found
   * ...") without the quoted source lines, carets and "in 'reader'" positions (the location is
   * already in front).
   */
  static String oneLine(String message) {
    List<String> parts = new java.util.ArrayList<>();
    for (String line : message.split("\\R")) {
      if (line.isBlank() || Character.isWhitespace(line.charAt(0)) || line.contains("^")) continue;
      parts.add(line.strip());
    }
    return parts.isEmpty() ? message.strip().replaceAll("\\s*\\R\\s*", " ") : String.join("; ", parts);
  }
}
