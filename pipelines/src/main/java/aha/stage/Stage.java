package aha.stage;

import aha.recipe.StageSpec;

/**
 * One stage of a run. It writes everything under {@link StageContext#dir()} (a temporary folder
 * the runner renames into place) and reports rows and counters through the context; the runner
 * writes the manifest last.
 */
public interface Stage<S extends StageSpec> {
  void run(S spec, StageContext context) throws Exception;

  /**
   * Called with the finished folder after the manifest is written and the folder renamed into place
   * (and when a finished stage is skipped): for copies outside the stage folder, such as the
   * report's {@code <run>/report/}.
   */
  default void published(S spec, java.nio.file.Path finishedDir) throws Exception {}
}
