package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.stage.Manifest;
import aha.testing.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prepare stage reads a Hub dataset's Parquet split through the real protocol (a fake Hub on 127.0.0.1). */
class PrepareFromHubTest {
  @AfterEach
  void restoreEnvironment() {
    HubSettings.environmentForTests = null;
  }

  @Test
  void prepareReadsAHubDatasetSplitByConfigWithColumnMapping(@TempDir Path tmp) throws Exception {
    Schema foreign = SchemaBuilder.record("Row").fields()
        .requiredString("question").requiredString("final").requiredInt("level").endRecord();
    Path folder = tmp.resolve("upload/data");
    Files.createDirectories(folder);
    List<GenericRecord> train = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      GenericRecord r = new GenericData.Record(foreign);
      r.put("question", "What is " + i + " + " + i + "?");
      r.put("final", Integer.toString(2 * i));
      r.put("level", i % 3);
      train.add(r);
    }
    ParquetFiles.write(folder.resolve("train-00000-of-00001.parquet"), foreign, train);
    ParquetFiles.write(folder.resolve("test-00000-of-00001.parquet"), foreign, train.subList(0, 3));
    try (FakeHub hub = new FakeHub()) {
      Path cache = tmp.resolve("hf");
      Map<String, String> env = new HashMap<>();
      env.put("HF_ENDPOINT", hub.endpoint());
      env.put("HF_HOME", cache.toString());
      env.put("HF_TOKEN", FakeHub.TOKEN);
      HubSettings.environmentForTests = env;
      new HubClient(HubSettings.fromEnv()).upload("org/problems", RepoType.DATASET, tmp.resolve("upload"), "problems", "main", true);

      Path r = Runs.writeRecipe(tmp, """
          name: fromhub
          seed: 1
          stages:
            - type: prepare
              source: {hub: org/problems, split: train, columns: {problem: question, answer: final}, keep_columns: [level]}
              eval_holdout: 5
          """);
      Runs.run(r, tmp.resolve("out"));
      Path stage = tmp.resolve("out/fromhub/01-prepare");
      List<Problem> rows = new ArrayList<>(ParquetFiles.readAll(ParquetFiles.split(stage.resolve("data"), "train"), Problem::fromAvro));
      rows.addAll(ParquetFiles.readAll(ParquetFiles.split(stage.resolve("data"), "eval"), Problem::fromAvro));
      assertThat(rows).hasSize(30);
      assertThat(rows).allSatisfy(p -> {
        assertThat(p.source()).isEqualTo("org/problems");
        assertThat(p.problem()).startsWith("What is ");
        assertThat(p.extra()).containsKey("level");
      });
      assertThat(rows).extracting(Problem::answer).contains("0", "58");
      var m = Manifest.read(stage);
      assertThat(m.path("summary").path("hub_commit").asText()).matches("[0-9a-f]{40}");
      assertThat(Files.readString(stage.resolve(Manifest.FILE))).doesNotContain(FakeHub.TOKEN);
      // the files sit in the standard cache, where Python's datasets would find them
      assertThat(cache.resolve("hub/datasets--org--problems/snapshots")).isDirectory();
    }
  }
}
