package aha.hub;

import static org.assertj.core.api.Assertions.assertThat;

import aha.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aha hub download|upload} as a user runs it, against the fake Hub. */
class HubCommandTest {
  @TempDir Path tmp;
  FakeHub hub;
  String commit;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    hub = new FakeHub();
    commit = HubTestSupport.seedModel(hub);
    // in-process runs see a clean environment: no HF_TOKEN or token file of the developer
    HubSettings.environmentForTests = Map.of("HF_HOME", tmp.resolve("hf-home").toString());
  }

  @AfterEach
  void stop() {
    HubSettings.environmentForTests = null;
    hub.close();
  }

  private static Run cli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void downloadPrintsTheSnapshotFolder() throws Exception {
    Path cache = tmp.resolve("cache");
    Run r =
        cli(
            "hub",
            "download",
            "org/tiny",
            "--endpoint",
            hub.endpoint(),
            "--cache-dir",
            cache.toString(),
            "--include",
            "*.json",
            "--exclude",
            "tokenizer*");
    assertThat(r.code()).as(r.err()).isEqualTo(0);
    Path snap = cache.resolve("models--org--tiny/snapshots/" + commit).toAbsolutePath();
    assertThat(r.out().strip()).isEqualTo(snap.toString());
    assertThat(snap.resolve("config.json")).exists();
    assertThat(snap.resolve("tokenizer.json")).doesNotExist();
    assertThat(snap.resolve("model.safetensors")).doesNotExist();

    Run files =
        cli(
            "hub",
            "download",
            "org/tiny",
            "model.safetensors",
            "sub/dir/notes.txt",
            "--endpoint",
            hub.endpoint(),
            "--cache-dir",
            cache.toString(),
            "--revision",
            commit);
    assertThat(files.code()).as(files.err()).isEqualTo(0);
    assertThat(files.out().strip()).isEqualTo(snap.toString());
    assertThat(snap.resolve("sub/dir/notes.txt")).hasContent("nested file");
  }

  @Test
  void missingAndGatedReposExitWith2AndOneClearSentence() {
    Run missing =
        cli(
            "hub",
            "download",
            "org/nope",
            "--endpoint",
            hub.endpoint(),
            "--cache-dir",
            tmp.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .startsWith("aha: Repository not found")
        .contains("org/nope")
        .doesNotContain("Exception");
    assertThat(missing.err().strip().lines()).hasSize(1);

    hub.repos.get("model:org/tiny").gated = true;
    Run gated =
        cli(
            "hub",
            "download",
            "org/tiny",
            "--endpoint",
            hub.endpoint(),
            "--cache-dir",
            tmp.toString());
    assertThat(gated.code()).isEqualTo(2);
    assertThat(gated.err()).contains("gated").contains("HF_TOKEN");

    Run badType =
        cli("hub", "download", "org/tiny", "--repo-type", "modle", "--endpoint", hub.endpoint());
    assertThat(badType.code()).isEqualTo(2);
    assertThat(badType.err()).contains("modle").contains("model, dataset or space");

    Run escape =
        cli(
            "hub",
            "download",
            "org/tiny",
            "../../etc/passwd",
            "--endpoint",
            hub.endpoint(),
            "--cache-dir",
            tmp.toString());
    assertThat(escape.code()).isEqualTo(2);
    assertThat(escape.err()).contains("Refusing repo path '../../etc/passwd'");
  }

  @Test
  void helpShowsExamples() {
    Run r = cli("hub", "download", "--help");
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains("Examples:").contains("--include").contains("--cache-dir");
    assertThat(cli("hub", "upload", "--help").out()).contains("Examples:").contains("--create");
  }

  /**
   * A new user's session in a real process: the token only in HF_TOKEN, upload a dataset folder,
   * download it into HF_HOME's cache, then read it again with HF_HUB_OFFLINE=1; the token never
   * shows in what the command prints.
   */
  @Test
  @Tag("slow") // three JVM starts
  void uploadThenDownloadThenOfflineInSeparateProcesses() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("run/03-filter/data"));
    byte[] shard = HubTestSupport.randomBytes(12_000, 5);
    Files.write(folder.resolve("train-00000-of-00001.parquet"), shard);
    Path hfHome = tmp.resolve("hf-home");
    Map<String, String> env =
        Map.of(
            "HF_TOKEN", FakeHub.TOKEN, "HF_HOME", hfHome.toString(), "HF_ENDPOINT", hub.endpoint());

    Run up =
        process(
            env,
            "hub",
            "upload",
            "me/traces",
            folder.getParent().toString(),
            "--repo-type",
            "dataset",
            "--create");
    assertThat(up.code()).as(up.err()).isEqualTo(0);
    assertThat(up.out()).contains("/datasets/me/traces/commit/");

    Run down = process(env, "hub", "download", "me/traces", "--repo-type", "dataset");
    assertThat(down.code()).as(down.err()).isEqualTo(0);
    Path snap = Path.of(down.out().strip());
    assertThat(snap.startsWith(hfHome.resolve("hub/datasets--me--traces/snapshots"))).isTrue();
    assertThat(Files.readAllBytes(snap.resolve("data/train-00000-of-00001.parquet")))
        .isEqualTo(shard);
    assertThat(Files.readString(snap.resolve("README.md"))).contains("path: data/train-*");

    int before = hub.hits.size();
    Map<String, String> offline =
        Map.of("HF_HOME", hfHome.toString(), "HF_HUB_OFFLINE", "1", "HF_ENDPOINT", hub.endpoint());
    Run again = process(offline, "hub", "download", "me/traces", "--repo-type", "dataset");
    assertThat(again.code()).as(again.err()).isEqualTo(0);
    assertThat(again.out().strip()).isEqualTo(snap.toString());
    assertThat(hub.hits).hasSize(before);

    for (Run r : List.of(up, down, again)) {
      assertThat(r.out() + r.err()).doesNotContain(FakeHub.TOKEN);
    }
  }

  private static Run process(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("aha.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGING"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile("aha-out", ".txt");
    Path err = Files.createTempFile("aha-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("aha " + String.join(" ", args) + " did not finish");
    }
    Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }
}
