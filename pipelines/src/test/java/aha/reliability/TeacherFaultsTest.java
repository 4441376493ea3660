package aha.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.ParquetFiles;
import aha.stage.Manifest;
import aha.teacher.ChatRequest;
import aha.teacher.ChatResponse;
import aha.teacher.LocalTeacher;
import aha.teacher.LocalTeacherServer;
import aha.teacher.RetryCounters;
import aha.teacher.TeacherClient;
import aha.teacher.TeacherClientConfig;
import aha.testing.InProcess;
import aha.testing.Runs;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local teacher with every fault at once: latency spikes on 20% of attempts, and 429s, 500s,
 * dropped connections and malformed bodies on 20% together. The client and the generate stage end
 * complete; a teacher that never recovers ends the stage with one clear error and no manifest.
 */
@Tag("slow")
class TeacherFaultsTest {
  /** 5% each of 429 (Retry-After 0), 500, drop and malformed; spikes of 600 ms on 20% of attempts. */
  static final LocalTeacherServer.Faults ALL =
      new LocalTeacherServer.Faults(0.05, 0, 0.05, 0.05, 0.05, 0, 12).withSpikes(0.20, 600);

  @Test
  void everyRequestCompletesWithTheRightAnswerUnderAllFaultsAtOnce() throws Exception {
    LocalTeacher teacher = new LocalTeacher(LocalTeacher.Options.defaults());
    TeacherClientConfig config = TeacherClientConfig.defaults("http://unused", null)
        .withConcurrency(16, 16, 64)
        .withRetries(12, Duration.ofMillis(5), Duration.ofMillis(50))
        // a spike outlasts the read timeout, so it is a timeout and a retry, as with a stalled API
        .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ZERO);
    try (LocalTeacherServer server = LocalTeacherServer.start("127.0.0.1", 0, teacher, ALL);
        TeacherClient client = new TeacherClient(withBaseUrl(config, server.baseUrl()))) {
      List<ChatRequest> requests = new ArrayList<>();
      List<CompletableFuture<ChatResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        ChatRequest r = ChatRequest.of(LocalTeacher.MODEL, "Calculate " + (100 + i) + " + " + (7 * i) + ".")
            .withStream(i % 2 == 1).withExtra("seed", i);
        requests.add(r);
        futures.add(client.submit(r));
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).join().choices().get(0).content())
            .isEqualTo(teacher.complete(requests.get(i)).get(0).content());
      }
      RetryCounters c = client.counters();
      assertThat(c.get(RetryCounters.SUCCEEDED)).isEqualTo(120);
      assertThat(c.get(RetryCounters.FAILED)).isZero();
      assertThat(server.faultsInjected()).containsKeys("429", "500", "drop", "malformed", "spike");
      // a fault answered after the client timed out on a spike counts as a timeout, not as itself
      assertThat(c.retries(RetryCounters.RetryCause.HTTP_429)).isPositive()
          .isLessThanOrEqualTo(server.faultsInjected().get("429"));
      assertThat(c.retries(RetryCounters.RetryCause.HTTP_5XX)).isPositive()
          .isLessThanOrEqualTo(server.faultsInjected().get("500"));
      assertThat(c.retries(RetryCounters.RetryCause.TIMEOUT)).isPositive();
      assertThat(c.retries(RetryCounters.RetryCause.MALFORMED_RESPONSE)).isPositive();
    }
  }

  static TeacherClientConfig withBaseUrl(TeacherClientConfig c, String url) {
    return new TeacherClientConfig(url, c.apiKeyEnv(), c.maxInFlight(), c.maxPerHost(), c.maxPending(),
        c.maxAttempts(), c.initialBackoff(), c.maxBackoff(), c.maxRetryAfter(), c.connectTimeout(),
        c.readTimeout(), c.callTimeout());
  }

  static final String PREPARE = """
      name: faults
      seed: 4
      stages:
        - type: prepare
          source: {generator: countdown, count: 40, numbers: 3, max_number: 12, max_target: 60, style: short}
      """;

  @Test
  void theGenerateStageEndsCompleteUnderAllFaultsAtOnce(@TempDir Path tmp) throws Exception {
    try (LocalTeacherServer server = LocalTeacherServer.start("127.0.0.1", 0,
        new LocalTeacher(LocalTeacher.Options.defaults()), ALL.withSpikes(0.20, 150))) {
      Path r = Runs.writeRecipe(tmp, PREPARE + """
            - type: generate
              teacher: {kind: openai, base_url: "%s", model: r1, max_attempts: 20}
              num_generations: 2
              sampling: {temperature: 0.6}
          """.formatted(server.baseUrl()));
      InProcess.Outcome o = InProcess.cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString());
      assertThat(o.code()).as(o.err()).isZero();
      Path stage = tmp.resolve("out/faults/02-generate");
      long problems = Manifest.read(tmp.resolve("out/faults/01-prepare")).path("splits").path("train").path("rows").asLong();
      // one row per problem, one list entry per sample
      List<String> rows = new ArrayList<>();
      for (GenericRecord rec : ParquetFiles.readAll(ParquetFiles.split(stage.resolve("data"), "train"), rec -> rec)) {
        List<?> samples = (List<?>) rec.get("sample_indices");
        List<?> generations = (List<?>) rec.get("generations");
        assertThat(generations).hasSameSizeAs(samples).allSatisfy(g -> assertThat(g.toString()).contains("<answer>"));
        for (Object i : samples) rows.add(rec.get("problem_id") + "#" + i);
      }
      assertThat(rows).hasSize((int) problems * 2);
      assertThat(new HashSet<>(rows)).hasSameSizeAs(rows);
      JsonNode m = Manifest.read(stage);
      long retries = 0;
      for (var it = m.path("counters").fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getKey().startsWith("generate.retry.")) retries += e.getValue().asLong();
      }
      assertThat(retries).isPositive();
      assertThat(server.faultsInjected()).containsKeys("429", "500", "drop", "malformed", "spike");
    }
  }

  @Test
  void aTeacherThatNeverRecoversEndsWithOneClearErrorAndNoManifest(@TempDir Path tmp) throws Exception {
    LocalTeacherServer.Faults always500 = new LocalTeacherServer.Faults(0, 0, 1.0, 0, 0, 0, 1);
    try (LocalTeacherServer server = LocalTeacherServer.start("127.0.0.1", 0,
        new LocalTeacher(LocalTeacher.Options.defaults()), always500)) {
      Path r = Runs.writeRecipe(tmp, PREPARE + """
            - type: generate
              teacher: {kind: openai, base_url: "%s", model: r1, max_attempts: 2}
              limit: 4
              num_generations: 2
              sampling: {temperature: 0.6}
          """.formatted(server.baseUrl()));
      InProcess.Outcome o = InProcess.cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString());
      assertThat(o.code()).isEqualTo(1);
      // one error line (the others on stderr are the progress bar)
      assertThat(o.err().lines().filter(l -> l.startsWith("aha:")).count()).as(o.err()).isEqualTo(1);
      assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(o.err()).contains("4 problem(s) got no completion").contains("HTTP 500").contains("after 2 attempts");
      Path run = tmp.resolve("out/faults");
      assertThat(run.resolve("02-generate")).doesNotExist();
      assertThat(run.resolve(".02-generate.tmp")).doesNotExist();
      try (Stream<Path> s = Files.walk(run)) {
        assertThat(s.filter(p -> p.getFileName().toString().equals(Manifest.FILE)).toList())
            .containsExactly(run.resolve("01-prepare").resolve(Manifest.FILE));
      }
    }
  }
}
