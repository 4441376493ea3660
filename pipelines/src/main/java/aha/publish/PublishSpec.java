package aha.publish;

import aha.recipe.Checks;
import aha.recipe.StageSpec;
import java.util.List;

/**
 * Pushes an earlier stage's output to the Hugging Face Hub: its {@code data/} Parquet splits as a
 * dataset repo (with a card whose {@code configs} list the splits), or its {@code checkpoint/} as a
 * model repo. The token comes from {@code HF_TOKEN} (or the token file), never from the recipe.
 *
 * @param repoType {@code dataset} or {@code model}; default: model when the stage has a checkpoint
 */
public record PublishSpec(String name, String from, String repo, String repoType, String revision, Boolean create,
    String message) implements StageSpec {
  public PublishSpec {
    revision = revision == null ? "main" : revision;
    create = create == null ? Boolean.TRUE : create;
  }

  @Override
  public String type() {
    return "publish";
  }

  @Override
  public List<String> inputs() {
    return from == null ? List.of() : List.of(from);
  }

  @Override
  public void validate(Checks c) {
    c.require(from, "from");
    c.require(repo, "repo");
    if (repo != null && !repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
      c.fail("repo", "must be a Hub repo id like 'org/name', got '" + repo + "'");
    }
    c.oneOf(repoType, "repo_type", List.of("dataset", "model"));
  }
}
