package aha.hub;

import aha.BadInputException;
import java.util.Locale;

/** Kind of Hub repository; decides the URL prefix and the cache folder name. */
public enum RepoType {
  MODEL("model", ""),
  DATASET("dataset", "datasets/"),
  SPACE("space", "spaces/");

  private final String id;
  private final String urlPrefix;

  RepoType(String id, String urlPrefix) {
    this.id = id;
    this.urlPrefix = urlPrefix;
  }

  /** {@code model}, {@code dataset} or {@code space}, as the Hub's JSON APIs spell it. */
  public String id() {
    return id;
  }

  /** {@code models}, {@code datasets}, {@code spaces}: the segment after {@code /api/}. */
  public String plural() {
    return id + "s";
  }

  /** Prefix of git-style URLs ({@code resolve}, LFS): empty for models. */
  public String urlPrefix() {
    return urlPrefix;
  }

  /** Parses {@code model}, {@code dataset} or {@code space} (any case); null means model. */
  public static RepoType parse(String text) {
    if (text == null) {
      return MODEL;
    }
    for (RepoType t : values()) {
      if (t.id.equals(text.toLowerCase(Locale.ROOT))
          || t.plural().equals(text.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new BadInputException(
        "Unknown repo type '" + text + "': expected model, dataset or space.");
  }
}
