package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepoCardTest {
  private static JsonNode frontMatter(String card) throws Exception {
    assertThat(card).startsWith("---\n");
    int end = card.indexOf("\n---\n", 4);
    return new ObjectMapper(new YAMLFactory()).readTree(card.substring(4, end + 1));
  }

  @Test
  void datasetCardNamesEverySplitInItsConfigsBlock() throws Exception {
    String card =
        RepoCard.datasetCard(
            "me/countdown",
            List.of(
                "data/test-00000-of-00001.parquet",
                "data/train-00000-of-00002.parquet",
                "data/train-00001-of-00002.parquet",
                "data/validation-00000-of-00001.parquet",
                "hard/data/train-00000-of-00001.parquet",
                "_MANIFEST.json"));
    JsonNode configs = frontMatter(card).get("configs");
    assertThat(configs).hasSize(2);
    assertThat(configs.get(0).get("config_name").asText()).isEqualTo("default");
    JsonNode files = configs.get(0).get("data_files");
    assertThat(files).hasSize(3);
    assertThat(files.get(0).get("split").asText()).isEqualTo("train");
    assertThat(files.get(0).get("path").asText()).isEqualTo("data/train-*");
    assertThat(files.get(1).get("split").asText()).isEqualTo("validation");
    assertThat(files.get(2).get("path").asText()).isEqualTo("data/test-*");
    assertThat(configs.get(1).get("config_name").asText()).isEqualTo("hard");
    assertThat(configs.get(1).get("data_files").get(0).get("path").asText())
        .isEqualTo("hard/data/train-*");
    assertThat(card).contains("load_dataset(\"me/countdown\")");
  }

  @Test
  void datasetWithoutShardsHasNoConfigsAndModelCardsDeclareTransformers() throws Exception {
    assertThat(frontMatter(RepoCard.datasetCard("me/x", List.of("problems.jsonl"))).has("configs"))
        .isFalse();
    JsonNode model =
        frontMatter(RepoCard.modelCard("me/tiny", List.of("config.json", "model.safetensors")));
    assertThat(model.get("library_name").asText()).isEqualTo("transformers");
    assertThat(model.get("pipeline_tag").asText()).isEqualTo("text-generation");
  }
}
