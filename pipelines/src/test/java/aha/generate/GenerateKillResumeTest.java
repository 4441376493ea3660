package aha.generate;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.Completion;
import aha.dataset.ProblemGenerations;
import aha.dataset.ParquetFiles;
import aha.teacher.Ledger;
import aha.teacher.LocalTeacher;
import aha.teacher.LocalTeacherServer;
import aha.testing.Cli;
import aha.testing.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL the CLI in the middle of generation, rerun it, and compare with an uninterrupted run. */
@Tag("slow")
class GenerateKillResumeTest {
  static final int IN_FLIGHT = 2;

  @Test
  void aKilledRunResumesToTheSameDatasetWithoutPayingTwice(@TempDir Path tmp) throws Exception {
    try (LocalTeacherServer server = LocalTeacherServer.start("127.0.0.1", 0,
        new LocalTeacher(LocalTeacher.Options.defaults().withSlipRate(0.2)), LocalTeacherServer.Faults.latency(60))) {
      Path recipe = Runs.writeRecipe(tmp, """
          name: kill
          seed: 8
          stages:
            - type: prepare
              source: {generator: countdown, count: 80, numbers: 3, max_number: 12, max_target: 60, style: short}
            - type: generate
              teacher: {kind: openai, base_url: "%s", model: r1, max_in_flight: %d}
              num_generations: 2
              sampling: {temperature: 0.6}
          """.formatted(server.baseUrl(), IN_FLIGHT));
      Path killed = tmp.resolve("killed");
      Path ledger = killed.resolve("kill/.state/02-generate/ledger");
      Process p = Cli.start(tmp.resolve("first.log"), "run", recipe.toString(), "--output-dir", killed.toString());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (ledgerLines(ledger) < 20 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
      assertThat(p.isAlive()).as(Files.readString(tmp.resolve("first.log"))).isTrue();
      p.destroyForcibly(); // SIGKILL: no shutdown hooks, a torn ledger line is possible
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.exists(killed.resolve("kill/02-generate"))).isFalse();
      long servedBeforeKill = server.completionsServed();

      Process rerun = Cli.start(tmp.resolve("second.log"), "run", recipe.toString(), "--output-dir", killed.toString());
      assertThat(rerun.waitFor(300, TimeUnit.SECONDS)).isTrue();
      assertThat(rerun.exitValue()).as(Files.readString(tmp.resolve("second.log"))).isZero();

      List<Completion> resumed = rows(killed.resolve("kill/02-generate"));
      long problems = ParquetFiles.split(killed.resolve("kill/01-prepare/data"), "train").stream()
          .mapToLong(ParquetFiles::rowCount).sum();
      assertThat(resumed).hasSize((int) problems * 2);
      // only requests answered but not yet recorded at the kill can have been sent twice
      assertThat(server.bodiesServedMoreThanOnce()).isLessThanOrEqualTo(IN_FLIGHT);
      assertThat(server.completionsServed()).isLessThanOrEqualTo(problems * 2 + IN_FLIGHT);
      assertThat(servedBeforeKill).isGreaterThanOrEqualTo(20);

      // an uninterrupted run against the same server gives the same rows
      Runs.run(recipe, tmp.resolve("clean"));
      assertThat(new HashSet<>(resumed)).isEqualTo(new HashSet<>(rows(tmp.resolve("clean/kill/02-generate"))));
      Set<String> keys = new HashSet<>();
      List<String> all = new ArrayList<>();
      try (Stream<Path> shards = Files.list(ledger)) {
        for (Path s : shards.toList()) Ledger.read(s, e -> all.add(e.key()));
      }
      keys.addAll(all);
      assertThat(all).hasSameSizeAs(keys);
    }
  }

  static List<Completion> rows(Path stage) {
    return ParquetFiles.readAll(ParquetFiles.split(stage.resolve("data"), "train"), ProblemGenerations::fromAvro).stream()
        .flatMap(r -> r.completions().stream()).toList();
  }

  static long ledgerLines(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) return 0;
    long n = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.toList()) n += Files.readAllLines(f).size();
    }
    return n;
  }
}
