package aha.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import aha.dataset.ParquetFiles;
import aha.stage.Manifest;
import aha.testing.Cli;
import aha.testing.Runs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL a whole micro run (prepare -> generate -> filter -> sft -> grpo -> eval -> report) at
 * seeded random moments in every stage, resume it each time, and compare the end result with an
 * uninterrupted run: the same datasets as multisets of rows, the same training curves, and no
 * manifest ever describing incomplete output.
 */
@Tag("slow")
class KillAnywhereTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> STAGES = List.of("prepare", "generate", "filter", "sft", "grpo", "eval", "report");
  /** Kills aimed at each stage (index as in STAGES): 12 in all; eval and report are short. */
  static final int[] KILLS = {2, 2, 2, 2, 2, 1, 1};
  static final Pattern SFT_RESUME = Pattern.compile("sft: resuming from .*step-(\\d+) \\(step (\\d+) of");
  static final Pattern GRPO_RESUME = Pattern.compile("grpo: resuming after step (\\d+) from");

  /** One libtorch thread for every run compared (see Cli.ONE_THREAD). */
  static final Map<String, String> ONE_THREAD = Cli.ONE_THREAD;
  /**
   * Relative tolerance of the curve and weight comparison: float noise, should any remain, stays
   * orders of magnitude below what a resume bug (another batch, a lost optimizer state, a restart)
   * does to the loss.
   */
  static final double TOLERANCE = 1e-2;

  /** The micro recipe the end-to-end benchmark times: every stage, small counts. */
  static final String RECIPE = aha.bench.EndToEndBenchmark.MICRO;


  /** What one kill hit: the stage whose temporary folder existed, and the newest snapshot then. */
  record Kill(int attempt, String stage, long afterMs, int sftSnapshot, int grpoSnapshot) {}

  @Test
  void killedAtRandomInEveryStageTheRunResumesToTheUninterruptedResult(@TempDir Path tmp) throws Exception {
    Path recipe = Runs.writeRecipe(tmp, RECIPE);
    Path clean = tmp.resolve("clean");
    runToEnd(recipe, clean, tmp.resolve("clean.log"));
    Path cleanRun = clean.resolve("micro");
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (int i = 0; i < STAGES.size(); i++) {
      seconds.put(STAGES.get(i), Manifest.read(stageDir(cleanRun, i)).path("timing").path("seconds").asDouble());
    }

    Path killed = tmp.resolve("killed");
    Path run = killed.resolve("micro");
    Random random = new Random(20261129L);
    List<Kill> kills = new ArrayList<>();
    List<String> logs = new ArrayList<>();
    List<Integer> targets = new ArrayList<>();
    for (int i = 0; i < KILLS.length; i++) for (int j = 0; j < KILLS[i]; j++) targets.add(i);
    for (int k = 0; k < targets.size(); k++) {
      int target = targets.get(k);
      Path log = tmp.resolve("attempt-" + k + ".log");
      logs.add(log.toString());
      int sftBefore = newestSnapshot(run, "04-sft");
      int grpoBefore = newestSnapshot(run, "05-grpo");
      long t0 = System.nanoTime();
      Process p = Cli.start(log, ONE_THREAD, "run", recipe.toString(), "--output-dir", killed.toString());
      // wait for the target stage to begin (or to be over already: then the kill lands later)
      // (its log line, not its temporary folder: a killed attempt leaves that behind)
      String started = "] " + STAGES.get(target) + ": running";
      waitFor(p, () -> Files.readString(log).contains(started) || Files.exists(stageDir(run, target)), 120);
      if (STAGES.get(target).equals("sft") || STAGES.get(target).equals("grpo")) {
        // training: let it write one more snapshot than it started with, so the resume is exercised
        String folder = stageDir(run, target).getFileName().toString();
        int before = folder.equals("04-sft") ? sftBefore : grpoBefore;
        waitFor(p, () -> newestSnapshot(run, folder) > before || Files.exists(stageDir(run, target)), 120);
        Thread.sleep((long) (random.nextDouble() * 400));
      } else {
        // within the first half of the stage's clean duration (at most 1.5 s): a stage often runs
        // faster than in the clean run (warm page cache, less load), and the kill should land in it
        double window = Math.min(0.5 * seconds.get(STAGES.get(target)), 1.5);
        Thread.sleep((long) (random.nextDouble() * window * 1000));
      }
      String inFlight = stageInFlight(log);
      int sftAtKill = newestSnapshot(run, "04-sft");
      int grpoAtKill = newestSnapshot(run, "05-grpo");
      boolean alive = p.isAlive();
      p.destroyForcibly(); // SIGKILL: no shutdown hooks run
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // when the attempt outran the kill, it must have finished the whole run
      if (!alive) assertThat(p.exitValue()).as(Files.readString(log)).isZero();
      kills.add(new Kill(k, alive ? inFlight : "(finished)", (System.nanoTime() - t0) / 1_000_000, sftAtKill, grpoAtKill));
      assertNoManifestDescribesIncompleteOutput(run);
    }
    System.out.println("kills: " + kills);
    assertThat(kills).hasSizeGreaterThanOrEqualTo(10);
    // training stages are hit for sure (the kill waits for a new snapshot); the others by timing,
    // which a loaded machine can shift into the next stage
    List<String> hit = kills.stream().map(Kill::stage).filter(STAGES::contains).distinct().toList();
    assertThat(hit).as("stages hit by kills: %s", kills).contains("sft", "grpo").hasSizeGreaterThanOrEqualTo(5);

    // every attempt after a kill inside training resumed from the newest snapshot on disk
    int sftResumes = 0;
    int grpoResumes = 0;
    for (int k = 0; k + 1 < kills.size(); k++) {
      Kill kill = kills.get(k);
      String next = Files.readString(Path.of(logs.get(k + 1)));
      if (kill.stage().equals("sft") && kill.sftSnapshot() > 0) {
        Matcher m = SFT_RESUME.matcher(next);
        assertThat(m.find()).as("attempt %d log after an SFT kill:%n%s", k + 1, next).isTrue();
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(kill.sftSnapshot());
        sftResumes++;
      }
      if (kill.stage().equals("grpo") && kill.grpoSnapshot() > 0) {
        Matcher m = GRPO_RESUME.matcher(next);
        assertThat(m.find()).as("attempt %d log after a GRPO kill:%n%s", k + 1, next).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(kill.grpoSnapshot());
        grpoResumes++;
      }
    }
    assertThat(sftResumes).as("resumes of SFT from a snapshot, kills %s", kills).isGreaterThanOrEqualTo(1);
    assertThat(grpoResumes).as("resumes of GRPO from a snapshot, kills %s", kills).isGreaterThanOrEqualTo(1);

    runToEnd(recipe, killed, tmp.resolve("final.log"));
    assertNoManifestDescribesIncompleteOutput(run);

    // the data: the same rows in every split of every dataset stage
    for (int i : new int[] {0, 1, 2, 5}) {
      assertSameRows(STAGES.get(i), rows(stageDir(cleanRun, i)), rows(stageDir(run, i)));
    }
    // training: the same curves (a resumed run replays the same batches from the same state)
    List<String> drift = new ArrayList<>();
    for (String stage : List.of("04-sft/metrics.jsonl", "05-grpo/metrics.jsonl")) {
      List<JsonNode> a = aha.sft.MetricsLog.read(cleanRun.resolve(stage));
      List<JsonNode> b = aha.sft.MetricsLog.read(run.resolve(stage));
      assertThat(b).as(stage).hasSameSizeAs(a).isNotEmpty();
      for (int s = 0; s < a.size(); s++) {
        for (String key : List.of("step", "loss", "grad_norm", "reward", "accuracy", "completion_length")) {
          assertThat(b.get(s).has(key)).as("%s step %d %s", stage, s + 1, key).isEqualTo(a.get(s).has(key));
          double x = a.get(s).path(key).asDouble();
          double y = b.get(s).path(key).asDouble();
          if (Math.abs(x - y) > TOLERANCE * Math.max(1, Math.abs(x))) drift.add(stage + " step " + (s + 1) + " " + key + " " + x + " vs " + y);
        }
      }
    }
    assertThat(drift).as("kills %s", kills).isEmpty();
    // and the same weights (within TOLERANCE; in practice bit for bit with one thread)
    for (String ckpt : List.of("04-sft/checkpoint/model.safetensors", "05-grpo/checkpoint/model.safetensors")) {
      try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
        Map<String, ai.djl.ndarray.NDArray> a = aha.model.SafeTensors.read(cleanRun.resolve(ckpt), m);
        Map<String, ai.djl.ndarray.NDArray> b = aha.model.SafeTensors.read(run.resolve(ckpt), m);
        assertThat(b.keySet()).as(ckpt).isEqualTo(a.keySet());
        for (String name : a.keySet()) {
          assertThat(b.get(name).allClose(a.get(name), TOLERANCE, 1e-3, false)).as("%s %s", ckpt, name).isTrue();
        }
      }
    }
    // the manifests of the killed run show that training resumed instead of starting over
    JsonNode sft = Manifest.read(stageDir(run, 3));
    JsonNode grpo = Manifest.read(stageDir(run, 4));
    assertThat(sft.path("counters").path("sft.resumed_from_step").asLong()
        + grpo.path("summary").path("resumed_from_step").asLong()).isPositive();
    JsonNode a = JSON.readTree(cleanRun.resolve("report/summary.json").toFile()).path("eval");
    JsonNode b = JSON.readTree(run.resolve("report/summary.json").toFile()).path("eval");
    assertThat(b).isEqualTo(a);
  }

  static void runToEnd(Path recipe, Path out, Path log) throws Exception {
    Process p = Cli.start(log, ONE_THREAD, "run", recipe.toString(), "--output-dir", out.toString());
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }

  interface Condition {
    boolean holds() throws IOException;
  }

  static void waitFor(Process p, Condition c, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (p.isAlive() && !c.holds() && System.nanoTime() < deadline) Thread.sleep(5);
  }

  static Path stageDir(Path run, int i) {
    return run.resolve(String.format("%02d-%s", i + 1, STAGES.get(i)));
  }

  /**
   * The stage an attempt was running, from its log ({@code [i/7] name: running} without a {@code
   * done} line yet): "startup" before the first, "between" after a stage finished.
   */
  static String stageInFlight(Path log) throws IOException {
    String state = "startup";
    for (String line : Files.readAllLines(log)) {
      Matcher m = Pattern.compile("^\\[\\d+/\\d+\\] (\\w+): (running|done)").matcher(line);
      if (m.find()) state = m.group(2).equals("running") ? m.group(1) : "between";
    }
    return state;
  }

  /**
   * The newest training snapshot ({@code .state/<stage>/checkpoints/step-N}), or 0. Both trainers
   * write a snapshot under a temporary name and rename it, so a {@code step-N} folder is complete.
   */
  static int newestSnapshot(Path run, String stage) throws IOException {
    Path root = run.resolve(".state").resolve(stage).resolve("checkpoints");
    if (!Files.isDirectory(root)) return 0;
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("step-\\d+"))
          .mapToInt(n -> Integer.parseInt(n.substring(5)))
          .max()
          .orElse(0);
    }
  }

  /**
   * Every {@code _MANIFEST.json} under the run, in finished or temporary folders, must describe
   * output that is all there: each listed file readable with the listed row count, a loadable
   * checkpoint for training stages.
   */
  static void assertNoManifestDescribesIncompleteOutput(Path run) throws IOException {
    if (!Files.isDirectory(run)) return;
    List<Path> manifests;
    try (Stream<Path> s = Files.walk(run)) {
      manifests = s.filter(p -> p.getFileName().toString().equals(Manifest.FILE)).toList();
    }
    for (Path f : manifests) {
      Path dir = f.getParent();
      JsonNode m = JSON.readTree(f.toFile());
      assertThat(m.path("splits").isObject()).as(f.toString()).isTrue();
      for (var split : iterable(m.path("splits").fields())) {
        long rows = 0;
        for (JsonNode file : split.getValue().path("files")) {
          Path data = dir.resolve(file.asText());
          assertThat(data).as("%s lists %s", f, file.asText()).isRegularFile();
          rows += ParquetFiles.rowCount(data);
        }
        assertThat(rows).as("%s split %s", f, split.getKey()).isEqualTo(split.getValue().path("rows").asLong());
      }
      String type = m.path("type").asText();
      if (type.equals("sft") || type.equals("grpo")) {
        for (String name : List.of("config.json", "model.safetensors", "tokenizer.json")) {
          assertThat(dir.resolve("checkpoint").resolve(name)).as(f.toString()).isRegularFile();
        }
        assertThat(Files.size(dir.resolve("checkpoint/model.safetensors"))).isPositive();
      }
      if (type.equals("report")) assertThat(dir.resolve("summary.json")).isRegularFile();
    }
  }

  static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }

  /** Equal multisets of rows per split; a failure shows only the rows that differ. */
  static void assertSameRows(String stage, Map<String, List<String>> clean, Map<String, List<String>> resumed) {
    assertThat(resumed.keySet()).as(stage + " splits").isEqualTo(clean.keySet());
    for (String split : clean.keySet()) {
      List<String> onlyClean = new ArrayList<>(clean.get(split));
      resumed.get(split).forEach(onlyClean::remove);
      List<String> onlyResumed = new ArrayList<>(resumed.get(split));
      clean.get(split).forEach(onlyResumed::remove);
      assertThat(onlyResumed).as("%s/%s rows only after kills (only in the clean run: %s)", stage, split,
          onlyClean.subList(0, Math.min(3, onlyClean.size()))).isEmpty();
      assertThat(onlyClean).as("%s/%s rows missing after kills", stage, split).isEmpty();
    }
  }

  /** Each split of a stage's dataset as a sorted list of rows (a multiset, independent of order). */
  static Map<String, List<String>> rows(Path stage) throws IOException {
    Map<String, List<String>> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(stage.resolve("data"))) {
      for (Path f : s.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        String split = f.getFileName().toString().replaceFirst("-\\d{5}-of-\\d{5}\\.parquet$", "");
        out.computeIfAbsent(split, x -> new ArrayList<>())
            .addAll(ParquetFiles.readAll(List.of(f), r -> r.toString()));
      }
    }
    out.values().forEach(l -> l.sort(null));
    assertThat(out).as(stage.toString()).isNotEmpty();
    return out;
  }
}
