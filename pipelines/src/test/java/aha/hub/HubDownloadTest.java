package aha.hub;

import static aha.hub.HubTestSupport.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDownloadTest {
  @TempDir Path tmp;
  FakeHub hub;
  String commit;
  List<Duration> waits;
  HubClient client;
  Path cache;

  @BeforeEach
  void start() throws Exception {
    hub = new FakeHub();
    commit = HubTestSupport.seedModel(hub);
    waits = HubTestSupport.waits();
    cache = tmp.resolve("cache");
    client = HubTestSupport.client(HubTestSupport.settings(hub, cache, FakeHub.TOKEN), waits);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void snapshotDownloadsEveryFileAndSecondCallIsACacheHit() throws Exception {
    Path snap = client.snapshot(MODEL, RepoType.MODEL, "main", List.of());
    assertThat(snap).isEqualTo(cache.resolve("models--org--tiny/snapshots/" + commit));
    for (Map.Entry<String, byte[]> e : HubTestSupport.modelFiles().entrySet()) {
      assertThat(Files.readAllBytes(snap.resolve(e.getKey())))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
    assertThat(Files.readString(snap.resolve(".gitattributes"))).contains("filter=lfs");
    int before = hub.hits.size();

    Path again = client.snapshot(MODEL, RepoType.MODEL, "main", List.of());

    assertThat(again).isEqualTo(snap);
    List<FakeHub.Hit> second = hub.hits.subList(before, hub.hits.size());
    assertThat(second).noneMatch(h -> h.path().contains("/resolve/"));
    assertThat(second).noneMatch(h -> h.server().equals("cdn"));
    // the listing of a commit never changes: trees/<commit>.json answers, only the revision is
    // asked
    assertThat(second)
        .extracting(FakeHub.Hit::path)
        .containsExactly("/api/models/org/tiny/revision/main");
  }

  @Test
  void cacheLayoutMatchesHuggingfaceHubFileByFile() throws Exception {
    client.snapshot(MODEL, RepoType.MODEL, "main", List.of());
    Path repo = cache.resolve("models--org--tiny");

    byte[] ref = Files.readAllBytes(repo.resolve("refs/main"));
    assertThat(new String(ref, StandardCharsets.US_ASCII))
        .isEqualTo(commit); // 40 bytes, no newline
    assertThat(ref).hasSize(40);

    Map<String, byte[]> files = HubTestSupport.modelFiles();
    String lfsEtag = FakeHub.sha256(files.get("model.safetensors"));
    try (Stream<Path> blobs = Files.list(repo.resolve("blobs"))) {
      assertThat(blobs.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              lfsEtag,
              FakeHub.gitSha1(files.get("config.json")),
              FakeHub.gitSha1(files.get("tokenizer.json")),
              FakeHub.gitSha1(files.get("sub/dir/notes.txt")),
              FakeHub.gitSha1(hub.repos.get("model:org/tiny").head().get(".gitattributes")));
    }
    Path snap = repo.resolve("snapshots").resolve(commit);
    assertThat(Files.isSymbolicLink(snap.resolve("model.safetensors"))).isTrue();
    assertThat(Files.readSymbolicLink(snap.resolve("model.safetensors")).toString())
        .isEqualTo("../../blobs/" + lfsEtag);
    assertThat(Files.readSymbolicLink(snap.resolve("config.json")).toString())
        .isEqualTo("../../blobs/" + FakeHub.gitSha1(files.get("config.json")));
    assertThat(Files.readSymbolicLink(snap.resolve("sub/dir/notes.txt")).toString())
        .isEqualTo("../../../../blobs/" + FakeHub.gitSha1(files.get("sub/dir/notes.txt")));
    assertThat(Files.isDirectory(repo.resolve(".no_exist"))).isFalse();
    String tree = Files.readString(repo.resolve("trees/" + commit + ".json"));
    assertThat(tree)
        .startsWith("{\n \"format_version\": 1,\n \"files\": {\n  \".gitattributes\": {");
    assertThat(tree).contains("\"lfs_sha256\": \"" + lfsEtag + "\",\n   \"lfs_size\": 20000");
    assertThat(Files.readString(cache.resolve("CACHEDIR.TAG")))
        .startsWith("Signature: 8a477f597d28d172789f06886806bc55");
    try (Stream<Path> all = Files.walk(repo)) {
      assertThat(all.map(Path::toString))
          .noneMatch(p -> p.endsWith(".incomplete") || p.endsWith(".tmp"));
    }
  }

  @Test
  void tokenGoesToTheHubButNeverToTheCdn() throws Exception {
    client.snapshot(MODEL, RepoType.MODEL, "main", List.of());
    List<FakeHub.Hit> cdn = hub.hits.stream().filter(h -> h.server().equals("cdn")).toList();
    assertThat(cdn).isNotEmpty().allMatch(h -> h.authorization() == null);
    assertThat(hub.hits.stream().filter(h -> h.server().equals("hub")))
        .isNotEmpty()
        .allMatch(h -> ("Bearer " + FakeHub.TOKEN).equals(h.authorization()));
  }

  @Test
  void resumesAPartialBlobLeftByAnEarlierRun() throws Exception {
    byte[] content = HubTestSupport.modelFiles().get("model.safetensors");
    String sha = FakeHub.sha256(content);
    Path blobs = Files.createDirectories(cache.resolve("models--org--tiny/blobs"));
    Files.write(blobs.resolve(sha + ".incomplete"), java.util.Arrays.copyOf(content, 5000));

    Path file = client.download(MODEL, RepoType.MODEL, "main", "model.safetensors");

    assertThat(Files.readAllBytes(file)).isEqualTo(content);
    List<FakeHub.Hit> gets = hub.hits("cdn", "GET", "/blobs/");
    assertThat(gets).hasSize(1);
    assertThat(gets.get(0).range()).isEqualTo("bytes=5000-");
    assertThat(blobs.resolve(sha + ".incomplete")).doesNotExist();
  }

  @Test
  void resumesWithRangeWhenTheConnectionDrops() throws Exception {
    hub.cutNextCdnGetAfter.set(7000);
    Path file = client.download(MODEL, RepoType.MODEL, "main", "model.safetensors");
    assertThat(Files.readAllBytes(file))
        .isEqualTo(HubTestSupport.modelFiles().get("model.safetensors"));
    List<FakeHub.Hit> gets = hub.hits("cdn", "GET", "/blobs/");
    assertThat(gets).extracting(FakeHub.Hit::range).containsExactly(null, "bytes=7000-");
  }

  @Test
  void startsOverWhenTheServerIgnoresRange() throws Exception {
    byte[] content = HubTestSupport.modelFiles().get("model.safetensors");
    Path blobs = Files.createDirectories(cache.resolve("models--org--tiny/blobs"));
    // a stale partial file whose bytes are wrong: appending a full 200 body to it would corrupt the
    // blob
    Files.write(blobs.resolve(FakeHub.sha256(content) + ".incomplete"), new byte[5000]);
    hub.ignoreRange = true;

    Path file = client.download(MODEL, RepoType.MODEL, "main", "model.safetensors");

    assertThat(Files.readAllBytes(file)).isEqualTo(content);
    assertThat(hub.hits("cdn", "GET", "/blobs/"))
        .extracting(FakeHub.Hit::range)
        .containsExactly("bytes=5000-");
  }

  @Test
  void sha256MismatchIsRejectedAndNothingIsLeftHalfWritten() {
    hub.corruptCdn = true;
    assertThatThrownBy(() -> client.download(MODEL, RepoType.MODEL, "main", "model.safetensors"))
        .isInstanceOf(HubTransferException.class)
        .hasMessageContaining("Integrity check failed")
        .hasMessageContaining("sha256");
    Path repo = cache.resolve("models--org--tiny");
    String sha = FakeHub.sha256(HubTestSupport.modelFiles().get("model.safetensors"));
    assertThat(repo.resolve("blobs/" + sha)).doesNotExist();
    assertThat(repo.resolve("blobs/" + sha + ".incomplete")).doesNotExist();
    assertThat(repo.resolve("snapshots/" + commit + "/model.safetensors")).doesNotExist();
  }

  @Test
  void aStorageRefusalIsATransferErrorNotTheUsers() throws Exception {
    hub.lfsStore.clear();
    hub.lfsStoreFrozen = true; // the CDN lost the object: 404 NoSuchKey
    assertThatThrownBy(() -> client.download(MODEL, RepoType.MODEL, "main", "model.safetensors"))
        .isInstanceOf(HubTransferException.class)
        .hasMessageContaining("storage host 127.0.0.1 answered HTTP 404");
    try (Stream<Path> all = Files.walk(cache)) {
      assertThat(all.map(Path::toString)).noneMatch(p -> p.endsWith(".incomplete"));
    }
  }

  @Test
  void offlineModeAnswersFromTheCacheWithoutAnyRequest() throws Exception {
    Path snap = client.snapshot(MODEL, RepoType.MODEL, "main", List.of());
    int before = hub.hits.size();
    HubClient offline =
        HubTestSupport.client(
            HubTestSupport.settings(hub, cache, FakeHub.TOKEN).withOffline(true), waits);

    assertThat(offline.snapshot(MODEL, RepoType.MODEL, "main", List.of())).isEqualTo(snap);
    assertThat(offline.download(MODEL, RepoType.MODEL, "main", "config.json"))
        .isEqualTo(snap.resolve("config.json"));
    assertThat(offline.download(MODEL, RepoType.MODEL, commit, "config.json"))
        .isEqualTo(snap.resolve("config.json"));
    assertThat(hub.hits).hasSize(before);
    Files.delete(snap.resolve("tokenizer.json")); // a snapshot with a file missing is not complete
    assertThat(offline.snapshot(MODEL, RepoType.MODEL, "main", List.of("config.json")))
        .isEqualTo(snap);
    assertThatThrownBy(() -> offline.snapshot(MODEL, RepoType.MODEL, "main", List.of()))
        .isInstanceOf(HubAccessException.NotCached.class)
        .hasMessageContaining("incomplete")
        .hasMessageContaining("tokenizer.json");
    assertThatThrownBy(() -> offline.snapshot("org/other", RepoType.MODEL, "main", List.of()))
        .isInstanceOf(HubAccessException.NotCached.class)
        .hasMessageContaining("HF_HUB_OFFLINE")
        .hasMessageContaining("org/other");
  }

  @Test
  void fallsBackToTheCacheWhenTheHubIsDown() throws Exception {
    Path snap = client.snapshot(MODEL, RepoType.MODEL, "main", List.of());
    Path file = client.download(MODEL, RepoType.MODEL, "main", "config.json");
    hub.close();
    assertThat(client.snapshot(MODEL, RepoType.MODEL, "main", List.of())).isEqualTo(snap);
    assertThat(client.download(MODEL, RepoType.MODEL, "main", "config.json")).isEqualTo(file);
    assertThat(waits).isEmpty(); // the cache answers at once, without back-off
    assertThatThrownBy(() -> client.download(MODEL, RepoType.MODEL, "main", "not-cached.txt"))
        .isInstanceOf(java.io.IOException.class);
    assertThat(waits).hasSize(5); // nothing cached: retried with back-off before giving up
  }

  @Test
  void errorsAreMappedFromXErrorCode() throws Exception {
    assertThatThrownBy(() -> client.snapshot("org/missing", RepoType.MODEL, "main", List.of()))
        .isInstanceOf(HubAccessException.RepoNotFound.class)
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("org/missing");
    assertThatThrownBy(() -> client.snapshot(MODEL, RepoType.MODEL, "no-such-branch", List.of()))
        .isInstanceOf(HubAccessException.RevisionNotFound.class)
        .hasMessageContaining("no-such-branch");
    assertThatThrownBy(() -> client.download(MODEL, RepoType.MODEL, "main", "missing.txt"))
        .isInstanceOf(HubAccessException.EntryNotFound.class)
        .hasMessageContaining("missing.txt");
    Path repo = cache.resolve("models--org--tiny");
    assertThat(repo.resolve(".no_exist/" + commit + "/missing.txt")).exists().isEmptyFile();
    assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(commit);
    HubClient offline =
        HubTestSupport.client(HubTestSupport.settings(hub, cache, null).withOffline(true), waits);
    assertThatThrownBy(() -> offline.download(MODEL, RepoType.MODEL, "main", "missing.txt"))
        .isInstanceOf(HubAccessException.EntryNotFound.class)
        .hasMessageContaining("records it as absent");

    hub.repos.get("model:org/tiny").gated = true;
    HubClient anonymous =
        HubTestSupport.client(HubTestSupport.settings(hub, tmp.resolve("anon"), null), waits);
    assertThatThrownBy(() -> anonymous.download(MODEL, RepoType.MODEL, "main", "config.json"))
        .isInstanceOf(HubAccessException.Gated.class)
        .hasMessageContaining("gated")
        .hasMessageContaining("HF_TOKEN");
    assertThat(client.download(MODEL, RepoType.MODEL, "main", "tokenizer.json"))
        .exists(); // with the token

    HubClient badToken =
        HubTestSupport.client(HubTestSupport.settings(hub, tmp.resolve("bad"), "hf_wrong"), waits);
    assertThatThrownBy(() -> badToken.download(MODEL, RepoType.MODEL, "main", "config.json"))
        .isInstanceOf(HubAccessException.Denied.class)
        .hasMessageContaining("rejected the token")
        .hasMessageNotContaining("hf_wrong");
  }

  @Test
  void backsOffOn429HonouringRetryAfter() throws Exception {
    hub.rateLimitNext.set(2);
    hub.retryAfterSeconds = 3;
    assertThat(client.listFiles(MODEL, RepoType.MODEL, "main")).hasSize(5);
    assertThat(waits)
        .containsExactly(
            Duration.ofSeconds(4), Duration.ofSeconds(4)); // Retry-After + 1, as Python
    waits.clear();
    hub.rateLimitNext.set(2);
    Path snap = client.snapshot(MODEL, RepoType.MODEL, "main", List.of());
    assertThat(snap.resolve("config.json")).exists();
    assertThat(waits).containsExactly(Duration.ofSeconds(4));
  }

  @Test
  void givesUpWhenRateLimitingNeverEnds() {
    hub.rateLimitNext.set(1000);
    assertThatThrownBy(() -> client.listFiles(MODEL, RepoType.MODEL, "main"))
        .isInstanceOf(HubTransferException.class)
        .hasMessageContaining("429");
    assertThat(waits).hasSize(5);
  }

  @Test
  void allowAndIgnorePatternsSelectFiles() throws Exception {
    Path jsonOnly = client.snapshot(MODEL, RepoType.MODEL, "main", List.of("*.json"));
    assertThat(jsonOnly.resolve("config.json")).exists();
    assertThat(jsonOnly.resolve("tokenizer.json")).exists();
    assertThat(jsonOnly.resolve("model.safetensors")).doesNotExist();
    assertThat(jsonOnly.resolve("sub")).doesNotExist();
    assertThat(hub.hits("cdn", "GET", "/blobs/")).isEmpty();

    Path noWeights =
        client.snapshot(
            MODEL,
            RepoType.MODEL,
            "main",
            List.of("sub/", "*.safetensors"),
            List.of("*.safetensors"));
    assertThat(noWeights.resolve("sub/dir/notes.txt")).exists();
    assertThat(noWeights.resolve("model.safetensors")).doesNotExist();
  }

  @Test
  void treeListingFollowsPagination() throws Exception {
    hub.pageSize = 2;
    List<RepoFile> files = client.listFiles(MODEL, RepoType.MODEL, "main");
    assertThat(files)
        .extracting(RepoFile::path)
        .containsExactlyInAnyOrder(
            ".gitattributes",
            "config.json",
            "tokenizer.json",
            "model.safetensors",
            "sub/dir/notes.txt");
    RepoFile weights =
        files.stream().filter(f -> f.path().equals("model.safetensors")).findFirst().orElseThrow();
    assertThat(weights.isLfs()).isTrue();
    assertThat(weights.size()).isEqualTo(20_000);
    // 5 files + 2 folders in pages of 2
    assertThat(hub.hits("hub", "GET", "/tree/")).hasSize(4);
  }

  @Test
  void followsASameHostRedirectOfARenamedRepoWithTheToken() throws Exception {
    hub.renamed.put("model:org/old-name", MODEL);
    Path file = client.download("org/old-name", RepoType.MODEL, "main", "config.json");
    assertThat(Files.readString(file)).contains("qwen2");
    assertThat(file.toString()).contains("models--org--old-name");
    assertThat(hub.hits("hub", "HEAD", "/org/tiny/resolve/"))
        .singleElement()
        .satisfies(h -> assertThat(h.authorization()).isEqualTo("Bearer " + FakeHub.TOKEN));
  }

  @Test
  void downloadByCommitWritesNoRefAndSkipsTheNetworkOnceCached() throws Exception {
    Path file = client.download(MODEL, RepoType.MODEL, commit, "config.json");
    assertThat(cache.resolve("models--org--tiny/refs")).doesNotExist();
    int before = hub.hits.size();
    assertThat(client.download(MODEL, RepoType.MODEL, commit, "config.json")).isEqualTo(file);
    assertThat(hub.hits).hasSize(before);
  }

  @Test
  void refusesRepoPathsThatEscapeTheCache() throws Exception {
    hub.commit(
        RepoType.MODEL,
        MODEL,
        Map.of("a/../../../escape.txt", "x".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> client.snapshot(MODEL, RepoType.MODEL, "main", List.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("escape");
    assertThatThrownBy(() -> client.download(MODEL, RepoType.MODEL, "main", "/etc/passwd"))
        .isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> client.download("../x", RepoType.MODEL, "main", "config.json"))
        .isInstanceOf(BadInputException.class);
    hub.commitHeaderOverride = "../../../../escaped";
    assertThatThrownBy(() -> client.download(MODEL, RepoType.MODEL, "main", "config.json"))
        .isInstanceOf(HubTransferException.class)
        .hasMessageContaining("X-Repo-Commit");
    try (Stream<Path> all = Files.walk(tmp)) {
      assertThat(all.map(Path::toString)).noneMatch(p -> p.contains("escape"));
    }
  }

  @Test
  void aNewCommitReusesTheBlobsItShares() throws Exception {
    Path first = client.snapshot(MODEL, RepoType.MODEL, "main", List.of());
    String second =
        hub.commit(
            RepoType.MODEL,
            MODEL,
            Map.of("config.json", "{\"model_type\": \"llama\"}".getBytes(StandardCharsets.UTF_8)));
    int cdnBefore = hub.hits("cdn", "GET", "/blobs/").size();
    int getsBefore = hub.hits("hub", "GET", "/resolve/").size();

    Path snap = client.snapshot(MODEL, RepoType.MODEL, "main", List.of());

    assertThat(snap).isEqualTo(cache.resolve("models--org--tiny/snapshots/" + second));
    assertThat(Files.readString(snap.resolve("config.json"))).contains("llama");
    assertThat(Files.readString(first.resolve("config.json")))
        .contains("qwen2"); // old snapshot intact
    assertThat(hub.hits("cdn", "GET", "/blobs/"))
        .hasSize(cdnBefore); // the weights blob was re-linked
    assertThat(hub.hits("hub", "GET", "/resolve/"))
        .hasSize(getsBefore + 1); // only the changed file
    assertThat(Files.readString(cache.resolve("models--org--tiny/refs/main"))).isEqualTo(second);
    assertThat(Files.readSymbolicLink(snap.resolve("model.safetensors")))
        .isEqualTo(Files.readSymbolicLink(first.resolve("model.safetensors")));
  }
}
