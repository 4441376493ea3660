package aha.hub;

import aha.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which files of a Hub dataset hold one config's split, read the way {@code datasets} reads them:
 * the {@code configs} block of the README front matter when there is one, else the {@code
 * push_to_hub} naming ({@code data/<split>-NNNNN-of-NNNNN.*}, {@code <config>/<split>-*}). The
 * result are fnmatch globs for {@link HubClient#snapshot}.
 */
public final class DataFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private DataFiles() {}

  /**
   * Globs for {@code config} / {@code split} of the dataset whose README.md is {@code readme} (null
   * or without front matter: the naming convention). A config or split the card does not have is a
   * {@link BadInputException} naming what it has.
   */
  public static List<String> patterns(String readme, String config, String split) {
    JsonNode configs = frontMatter(readme).path("configs");
    if (!configs.isArray() || configs.isEmpty()) {
      return conventional(config, split);
    }
    JsonNode chosen = null;
    List<String> names = new ArrayList<>();
    for (JsonNode c : configs) {
      String name = c.path("config_name").asText("default");
      names.add(name);
      boolean wanted =
          config == null
              ? c.path("default").asBoolean(false) || name.equals("default")
              : name.equals(config);
      if (wanted && chosen == null) {
        chosen = c;
      }
    }
    if (chosen == null && config == null && configs.size() == 1) {
      chosen = configs.get(0);
    }
    if (chosen == null) {
      throw new BadInputException(
          "The dataset card has no config '"
              + (config == null ? "default" : config)
              + "': it has "
              + names
              + ".");
    }
    return splitPatterns(
        chosen.path("data_files"), split, chosen.path("config_name").asText("default"));
  }

  /**
   * {@code data_files}: a glob or list (all train), a list of {split, path}, or a map split ->
   * path(s).
   */
  private static List<String> splitPatterns(JsonNode dataFiles, String split, String configName) {
    List<String> splits = new ArrayList<>();
    if (dataFiles.isTextual()
        || (dataFiles.isArray() && dataFiles.size() > 0 && dataFiles.get(0).isTextual())) {
      splits.add("train");
      if ("train".equals(split)) {
        return paths(dataFiles);
      }
    } else if (dataFiles.isArray()) {
      for (JsonNode entry : dataFiles) {
        String s = entry.path("split").asText("train");
        splits.add(s);
        if (s.equals(split)) {
          return paths(entry.path("path"));
        }
      }
    } else if (dataFiles.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = dataFiles.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        splits.add(e.getKey());
        if (e.getKey().equals(split)) {
          return paths(e.getValue());
        }
      }
    }
    throw new BadInputException(
        "The dataset card's config '"
            + configName
            + "' has no split '"
            + split
            + "': it has "
            + splits
            + ".");
  }

  private static List<String> paths(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isTextual()) {
      out.add(node.asText());
    } else {
      node.forEach(p -> out.add(p.asText()));
    }
    return out;
  }

  /** The names {@code push_to_hub} writes, for cards without a configs block. */
  static List<String> conventional(String config, String split) {
    if (config == null || config.equals("default")) {
      return List.of("data/" + split + "-*", split + "-*", "data/" + split + "/*");
    }
    return List.of(config + "/" + split + "-*", config + "/data/" + split + "-*");
  }

  private static JsonNode frontMatter(String readme) {
    if (readme == null || !readme.startsWith("---")) {
      return YAML.createObjectNode();
    }
    int end = readme.indexOf("\n---", 3);
    if (end < 0) {
      return YAML.createObjectNode();
    }
    try {
      JsonNode node = YAML.readTree(readme.substring(3, end + 1));
      return node == null ? YAML.createObjectNode() : node;
    } catch (IOException e) {
      throw new BadInputException(
          "The dataset card's front matter is not valid YAML: "
              + e.getMessage().lines().findFirst().orElse("")
              + ".");
    }
  }
}
