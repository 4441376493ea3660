package aha.stage;

import java.nio.file.Path;
import java.util.Map;

/** Stage contexts for tests that run one stage on hand-made input folders. */
public final class StageContexts {
  private StageContexts() {}

  /** A context writing into {@code dir} with the given finished input folders by stage name. */
  public static StageContext of(String label, Path dir, long seed, Map<String, Path> inputs) {
    return new StageContext(label, dir, seed, inputs, StageRunner.Options.defaults());
  }
}
