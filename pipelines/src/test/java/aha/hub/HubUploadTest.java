package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubUploadTest {
  static final String DATASET = "me/countdown-r1";

  @TempDir Path tmp;
  FakeHub hub;
  List<Duration> waits;
  HubClient client;
  Path folder;
  Map<String, byte[]> content;

  @BeforeEach
  void start() throws Exception {
    hub = new FakeHub();
    waits = HubTestSupport.waits();
    client =
        HubTestSupport.client(
            HubTestSupport.settings(hub, tmp.resolve("cache"), FakeHub.TOKEN), waits);
    folder = Files.createDirectories(tmp.resolve("03-filter"));
    content = new LinkedHashMap<>();
    content.put(
        "data/train-00000-of-00002.parquet", HubTestSupport.randomBytes(5_000, 1)); // LFS, basic
    content.put(
        "data/train-00001-of-00002.parquet",
        HubTestSupport.randomBytes(30_000, 2)); // LFS, multipart (8 parts)
    content.put(
        "data/test-00000-of-00001.parquet", HubTestSupport.randomBytes(700, 3)); // LFS by extension
    content.put(
        "_MANIFEST.json",
        "{\"stage\": \"filter\", \"rows\": 42}\n".getBytes(StandardCharsets.UTF_8));
    content.put("empty.txt", new byte[0]);
    for (Map.Entry<String, byte[]> e : content.entrySet()) {
      Path p = folder.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    Files.createDirectories(folder.resolve(".cache/huggingface"));
    Files.writeString(
        folder.resolve(".cache/huggingface/skip.lock"), "local state, not for the Hub");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void uploadThenDownloadGivesTheSameBytes() throws Exception {
    CommitInfo info =
        client.upload(DATASET, RepoType.DATASET, folder, "filtered traces", "main", true);

    assertThat(info.changed()).isTrue();
    assertThat(info.commitOid()).matches("[0-9a-f]{40}");
    assertThat(info.commitUrl()).contains("/datasets/me/countdown-r1/commit/" + info.commitOid());
    assertThat(info.files()).isEqualTo(6); // five files and the generated card

    HubClient reader =
        HubTestSupport.client(
            HubTestSupport.settings(hub, tmp.resolve("fresh-cache"), null), waits);
    Path snap = reader.snapshot(DATASET, RepoType.DATASET, "main", List.of());
    assertThat(snap.toString())
        .contains("datasets--me--countdown-r1/snapshots/" + info.commitOid());
    for (Map.Entry<String, byte[]> e : content.entrySet()) {
      assertThat(Files.readAllBytes(snap.resolve(e.getKey())))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
    assertThat(snap.resolve(".cache")).doesNotExist();
    String card = Files.readString(snap.resolve("README.md"));
    assertThat(card).startsWith("---\nconfigs:\n");
    assertThat(card).contains("path: data/train-*").contains("path: data/test-*");

    // a downloaded snapshot (symlinks into blobs/) uploads as a copy; its LFS objects are known
    int puts = hub.hits("cdn", "PUT", "/upload/").size();
    reader =
        HubTestSupport.client(
            HubTestSupport.settings(hub, tmp.resolve("fresh-cache"), FakeHub.TOKEN), waits);
    reader.upload("me/copy", RepoType.DATASET, snap, "copy", "main", true);
    Map<String, byte[]> copy = hub.repos.get("dataset:me/copy").head();
    for (Map.Entry<String, byte[]> e : content.entrySet()) {
      assertThat(copy.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(new String(copy.get("README.md"), StandardCharsets.UTF_8)).isEqualTo(card);
    assertThat(hub.hits("cdn", "PUT", "/upload/")).hasSize(puts);
  }

  @Test
  void usesPreuploadLfsBatchBasicAndMultipartThenTheNdjsonCommit() throws Exception {
    client.upload(DATASET, RepoType.DATASET, folder, "filtered traces", "main", true);

    assertThat(hub.hits("hub", "POST", "/api/repos/create")).hasSize(1);
    assertThat(hub.hits("hub", "POST", "/api/datasets/me/countdown-r1/preupload/main")).hasSize(1);
    assertThat(hub.hits("hub", "POST", "/datasets/me/countdown-r1.git/info/lfs/objects/batch"))
        .hasSize(1);
    assertThat(hub.hits("cdn", "PUT", "/part/")).hasSize(8); // ceil(30000 / 4096)
    assertThat(
            hub.hits("cdn", "PUT", "/upload/").stream().filter(h -> !h.path().contains("/part/")))
        .hasSize(2);
    assertThat(hub.hits("hub", "POST", "/lfs-complete/")).hasSize(1);
    assertThat(hub.hits("hub", "POST", "/lfs-verify/")).hasSize(3);
    assertThat(hub.hits("hub", "POST", "/api/datasets/me/countdown-r1/commit/main")).hasSize(1);
    // pre-signed storage URLs never see the token; the Hub's own endpoints do
    assertThat(hub.hits.stream().filter(h -> h.server().equals("cdn")))
        .allMatch(h -> h.authorization() == null);
    assertThat(hub.hits("hub", "POST", "/commit/"))
        .allMatch(h -> ("Bearer " + FakeHub.TOKEN).equals(h.authorization()));
    assertThat(hub.lfsStore)
        .containsKey(FakeHub.sha256(content.get("data/train-00001-of-00002.parquet")));
  }

  @Test
  void aSecondUploadOfTheSameFolderMakesNoCommit() throws Exception {
    client.upload(DATASET, RepoType.DATASET, folder, "first", "main", true);
    int batches = hub.hits("hub", "POST", "/info/lfs/objects/batch").size();

    CommitInfo again = client.upload(DATASET, RepoType.DATASET, folder, "second", "main", false);

    assertThat(again.changed()).isFalse();
    assertThat(hub.hits("hub", "POST", "/commit/")).hasSize(1);
    assertThat(hub.hits("hub", "POST", "/info/lfs/objects/batch")).hasSize(batches);
  }

  @Test
  void changedFilesOnlyAreSentAndAlreadyStoredLfsObjectsAreNotReuploaded() throws Exception {
    client.upload(DATASET, RepoType.DATASET, folder, "first", "main", true);
    int puts = hub.hits("cdn", "PUT", "/upload/").size();
    Files.writeString(folder.resolve("_MANIFEST.json"), "{\"stage\": \"filter\", \"rows\": 43}\n");
    // same bytes under a new name: the LFS store already has the object
    Files.write(
        folder.resolve("data/copy.parquet"), content.get("data/test-00000-of-00001.parquet"));

    CommitInfo second = client.upload(DATASET, RepoType.DATASET, folder, "second", "main", false);

    assertThat(second.files()).isEqualTo(2);
    assertThat(hub.hits("cdn", "PUT", "/upload/")).hasSize(puts);
    Map<String, byte[]> head = hub.repos.get("dataset:" + DATASET).head();
    assertThat(new String(head.get("_MANIFEST.json"), StandardCharsets.UTF_8)).contains("43");
    assertThat(head.get("data/copy.parquet"))
        .isEqualTo(content.get("data/test-00000-of-00001.parquet"));
  }

  @Test
  void anExistingCardIsKeptAndModelsGetAModelCard() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("checkpoint"));
    Files.writeString(model.resolve("config.json"), "{\"model_type\": \"qwen2\"}");
    Files.write(model.resolve("model.safetensors"), HubTestSupport.randomBytes(2_000, 9));
    client.upload("me/tiny-grpo", RepoType.MODEL, model, "grpo", "main", true);
    String card =
        new String(
            hub.repos.get("model:me/tiny-grpo").head().get("README.md"), StandardCharsets.UTF_8);
    assertThat(card)
        .contains("library_name: transformers")
        .contains("pipeline_tag: text-generation");

    Files.writeString(model.resolve("README.md"), "# my own card\n");
    client.upload("me/tiny-grpo", RepoType.MODEL, model, "card", "main", false);
    assertThat(
            new String(
                hub.repos.get("model:me/tiny-grpo").head().get("README.md"),
                StandardCharsets.UTF_8))
        .isEqualTo("# my own card\n");
  }

  @Test
  void uploadingToAMissingRepoWithoutCreateOrWithoutATokenIsAClearError() {
    assertThatThrownBy(() -> client.upload(DATASET, RepoType.DATASET, folder, "x", "main", false))
        .isInstanceOf(HubAccessException.RepoNotFound.class)
        .hasMessageContaining(DATASET)
        .hasMessageContaining("--create");
    HubClient anonymous =
        HubTestSupport.client(HubTestSupport.settings(hub, tmp.resolve("c2"), null), waits);
    assertThatThrownBy(() -> anonymous.upload(DATASET, RepoType.DATASET, folder, "x", "main", true))
        .isInstanceOf(HubAccessException.Denied.class)
        .hasMessageContaining("HF_TOKEN");
    assertThatThrownBy(
            () -> client.upload(DATASET, RepoType.DATASET, tmp.resolve("nope"), "x", "main", true))
        .isInstanceOf(aha.BadInputException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void theHubRejectsACommitThatContainsTheToken() throws Exception {
    Files.writeString(folder.resolve("leak.txt"), "token=" + FakeHub.TOKEN);
    assertThatThrownBy(() -> client.upload(DATASET, RepoType.DATASET, folder, "x", "main", true))
        .isInstanceOf(HubTransferException.class)
        .hasMessageContaining("secrets")
        .hasMessageNotContaining(FakeHub.TOKEN);
  }

  @Test
  void datasetFilesPicksOneSplitByTheCardItWrote() throws Exception {
    client.upload(DATASET, RepoType.DATASET, folder, "traces", "main", true);
    HubClient reader =
        HubTestSupport.client(HubTestSupport.settings(hub, tmp.resolve("reader"), null), waits);

    List<Path> train = reader.datasetFiles(DATASET, "main", null, "train");
    List<Path> test = reader.datasetFiles(DATASET, "main", "default", "test");

    assertThat(train)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("train-00000-of-00002.parquet", "train-00001-of-00002.parquet");
    assertThat(Files.readAllBytes(test.get(0)))
        .isEqualTo(content.get("data/test-00000-of-00001.parquet"));
    assertThat(test).hasSize(1);
    // only the card and the asked-for split were downloaded
    Path snap = train.get(0).getParent().getParent();
    assertThat(snap.resolve("_MANIFEST.json")).doesNotExist();
    assertThatThrownBy(() -> reader.datasetFiles(DATASET, "main", null, "validation"))
        .isInstanceOf(aha.BadInputException.class)
        .hasMessageContaining("validation");
  }
}
