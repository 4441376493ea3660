package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;

import aha.stage.Manifest;
import aha.testing.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publish stage pushes a stage's Parquet splits as a Hub dataset that downloads back byte for byte. */
class PublishStageTest {
  @AfterEach
  void restoreEnvironment() {
    HubSettings.environmentForTests = null;
  }

  @Test
  void publishesAStageAsADatasetWithACard(@TempDir Path tmp) throws Exception {
    try (FakeHub hub = new FakeHub()) {
      HubSettings.environmentForTests = Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HOME", tmp.resolve("hf").toString(),
          "HF_TOKEN", FakeHub.TOKEN);
      Path r = Runs.writeRecipe(tmp, """
          name: pub
          seed: 3
          stages:
            - type: prepare
              source: {generator: arithmetic, count: 25}
              eval_holdout: 5
            - type: publish
              from: prepare
              repo: me/arith
          """);
      Runs.run(r, tmp.resolve("out"));
      var m = Manifest.read(tmp.resolve("out/pub/02-publish"));
      assertThat(m.path("summary").path("repo_type").asText()).isEqualTo("dataset");
      assertThat(m.path("summary").path("commit").asText()).matches("[0-9a-f]{40}");

      Path snap = new HubClient(HubSettings.fromEnv()).snapshot("me/arith", RepoType.DATASET, "main", List.of("*"));
      Path data = tmp.resolve("out/pub/01-prepare/data");
      for (String f : List.of("train-00000-of-00001.parquet", "eval-00000-of-00001.parquet")) {
        assertThat(Files.readAllBytes(snap.resolve("data").resolve(f))).isEqualTo(Files.readAllBytes(data.resolve(f)));
      }
      String card = Files.readString(snap.resolve("README.md"));
      assertThat(card).contains("configs:", "split: train", "split: eval");
      assertThat(Files.readString(snap.resolve("aha_manifest.json"))).doesNotContain(FakeHub.TOKEN);
    }
  }
}
