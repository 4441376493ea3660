package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataFilesTest {
  @Test
  void readsTheConfigsBlockInItsThreeShapes() {
    String listOfSplits =
        "---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*\n"
            + "  - split: test\n    path:\n    - data/test-a.parquet\n    - data/test-b.parquet\n"
            + "- config_name: hard\n  data_files: hard/*.parquet\n---\n# card\n";
    assertThat(DataFiles.patterns(listOfSplits, null, "train")).containsExactly("data/train-*");
    assertThat(DataFiles.patterns(listOfSplits, "default", "test"))
        .containsExactly("data/test-a.parquet", "data/test-b.parquet");
    assertThat(DataFiles.patterns(listOfSplits, "hard", "train")).containsExactly("hard/*.parquet");

    String mapping =
        "---\nconfigs:\n- config_name: main\n  default: true\n  data_files:\n    train: a/*.jsonl\n    validation: [b.jsonl]\n---\n";
    assertThat(DataFiles.patterns(mapping, null, "validation")).containsExactly("b.jsonl");
  }

  @Test
  void theCardAahWritesReadsBack() {
    String card =
        RepoCard.datasetCard(
            "me/x",
            List.of("data/train-00000-of-00001.parquet", "data/test-00000-of-00001.parquet"));
    assertThat(DataFiles.patterns(card, null, "test")).containsExactly("data/test-*");
    assertThat(
            PathPatterns.of(DataFiles.patterns(card, null, "train"), List.of())
                .matches("data/train-00000-of-00001.parquet"))
        .isTrue();
  }

  @Test
  void withoutAConfigsBlockThePushToHubNamingApplies() {
    assertThat(DataFiles.patterns("# no front matter", null, "train")).contains("data/train-*");
    assertThat(DataFiles.patterns(null, "hard", "test")).contains("hard/test-*");
  }

  @Test
  void unknownConfigsAndSplitsNameWhatTheCardHas() {
    String card = RepoCard.datasetCard("me/x", List.of("data/train-00000-of-00001.parquet"));
    assertThatThrownBy(() -> DataFiles.patterns(card, null, "validation"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("no split 'validation'")
        .hasMessageContaining("[train]");
    assertThatThrownBy(() -> DataFiles.patterns(card, "other", "train"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("no config 'other'")
        .hasMessageContaining("[default]");
  }
}
