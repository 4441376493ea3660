package aha.stage;

import aha.recipe.StageSpec;

/**
 * One stage of a run. It writes everything under {@link StageContext#dir()} (a temporary folder
 * the runner renames into place) and reports rows and counters through the context; the runner
 * writes the manifest last.
 */
public interface Stage<S extends StageSpec> {
  void run(S spec, StageContext context) throws Exception;
}
