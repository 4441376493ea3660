package aha.stage;

import aha.BadInputException;
import java.util.Locale;

/** Where the data stages' Beam pipelines run. */
public enum Runner {
  DIRECT,
  SPARK;

  public static Runner parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--runner must be direct or spark, got '" + s + "'");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
