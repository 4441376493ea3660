package aha.recipe;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key path of a YAML document starts ({@code stages[1].source.count} -> line 9, column
 * 7). Jackson's tree has no locations, so the loader indexes the token stream once and looks up the
 * paths its errors and validations name.
 */
final class YamlLocations {
  record Location(int line, int column) {}

  private final Map<String, Location> byPath = new HashMap<>();

  static YamlLocations index(String yaml) throws IOException {
    YamlLocations locations = new YamlLocations();
    try (JsonParser p = new YAMLFactory().createParser(yaml)) {
      if (p.nextToken() != null) locations.walk(p, "");
    }
    return locations;
  }

  /** The location of {@code path}, or of its nearest located parent. */
  Location find(String path) {
    String p = path;
    while (true) {
      Location l = byPath.get(p);
      if (l != null) return l;
      if (p.isEmpty()) return new Location(1, 1);
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut <= 0 ? "" : p.substring(0, cut);
    }
  }

  private void walk(JsonParser p, String path) throws IOException {
    byPath.putIfAbsent(path, here(p));
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String child = path.isEmpty() ? p.currentName() : path + "." + p.currentName();
        byPath.put(child, here(p));
        p.nextToken();
        walk(p, child);
      }
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) walk(p, path + "[" + i++ + "]");
    }
  }

  private static Location here(JsonParser p) {
    JsonLocation l = p.currentTokenLocation();
    return new Location(l.getLineNr(), l.getColumnNr());
  }
}
