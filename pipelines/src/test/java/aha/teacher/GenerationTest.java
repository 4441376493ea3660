package aha.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resumable generation against the local teacher over HTTP on 127.0.0.1. */
class GenerationTest {
  @TempDir Path dir;

  static final LocalTeacher TEACHER =
      new LocalTeacher(LocalTeacher.Options.defaults().withSlipRate(0.2));
  static final String SYSTEM =
      "Think inside <think> </think>, then answer inside <answer> </answer>.";

  static Map<String, List<ChatMessage>> problems(int count) {
    Map<String, List<ChatMessage>> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String text =
          i % 3 == 0
              ? "Use "
                  + (2 + i % 9)
                  + " "
                  + (3 + i % 7)
                  + " "
                  + (1 + i % 5)
                  + " to make "
                  + (4 + i % 13)
                  + "."
              : i % 3 == 1
                  ? "Calculate " + (1000 + 37 * i) + " - " + (500 + 11 * i) + "."
                  : "Solve for x: "
                      + (1 + i % 6)
                      + "x - "
                      + i
                      + " = "
                      + (5 * (1 + i % 6) - i)
                      + ".";
      out.put("p" + i, List.of(ChatMessage.system(SYSTEM), ChatMessage.user(text)));
    }
    return out;
  }

  static Generation.Settings settings(boolean nPerRequest, long maxRequests) {
    return new Generation.Settings(
        LocalTeacher.MODEL,
        3,
        nPerRequest,
        0.8,
        0.95,
        512,
        Map.of("seed", 100),
        false,
        true,
        maxRequests);
  }

  static TeacherClient client(LocalTeacherServer server) {
    return new TeacherClient(
        TeacherClientConfig.defaults(server.baseUrl(), null)
            .withConcurrency(8, 8, 32)
            .withRetries(10, Duration.ofMillis(2), Duration.ofMillis(20)));
  }

  static Map<String, Generation.Result> runAll(
      Generation g, Map<String, List<ChatMessage>> problems) {
    Map<String, CompletableFuture<Generation.Result>> futures = new java.util.LinkedHashMap<>();
    problems.forEach((id, messages) -> futures.put(id, g.submit(id, messages)));
    Map<String, Generation.Result> out = new HashMap<>();
    futures.forEach((id, f) -> out.put(id, f.join()));
    return out;
  }

  @Test
  void interruptedRunResumesToTheSameDatasetWithoutResendingAnything() throws Exception {
    Map<String, List<ChatMessage>> problems = problems(60);
    // the reference: one uninterrupted run on a fault-free server
    Map<String, Generation.Result> reference;
    try (LocalTeacherServer server = LocalTeacherServer.start(TEACHER);
        TeacherClient client = client(server);
        Ledger ledger = Ledger.open(dir.resolve("reference.jsonl"), Ledger.Fsync.NEVER)) {
      reference = runAll(new Generation(client, ledger, settings(false, 0)), problems);
    }
    assertThat(reference.values()).allMatch(Generation.Result::ok);

    LocalTeacherServer.Faults faults =
        new LocalTeacherServer.Faults(0.05, 0, 0.05, 0.05, 0.05, 0, 5);
    Path ledgerFile = dir.resolve("ledger.jsonl");
    try (LocalTeacherServer server = LocalTeacherServer.start("127.0.0.1", 0, TEACHER, faults)) {
      // run 1 stops part-way (its budget runs out), then "crashes" mid-write: a torn line
      try (TeacherClient client = client(server);
          Ledger ledger = Ledger.open(ledgerFile, Ledger.Fsync.INTERVAL)) {
        Generation first = new Generation(client, ledger, settings(false, 100));
        Map<String, Generation.Result> partial = runAll(first, problems);
        assertThat(partial.values())
            .filteredOn(r -> !r.ok())
            .isNotEmpty()
            .allSatisfy(r -> {
              // every sample is there: done ones with their completion, the rest with the reason
              assertThat(r.samples()).extracting(Generation.Sample::index).containsExactly(0, 1, 2);
              assertThat(r.samples()).filteredOn(sample -> !sample.ok()).isNotEmpty()
                  .allMatch(sample -> sample.failure().contains("max_requests") && sample.choice() == null);
              assertThat(r.generations()).hasSize((int) r.samples().stream().filter(Generation.Sample::ok).count());
            });
        assertThat(first.newRequests()).isEqualTo(100);
      }
      String torn =
          Ledger.toJson(
              new Ledger.Entry("k", "p0", 9, new ChatResponse("x", "m", List.of(), null)));
      Files.write(
          ledgerFile,
          torn.substring(0, torn.length() / 2).getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.APPEND);

      // run 2 resumes
      Map<String, Generation.Result> resumed;
      Generation second;
      try (TeacherClient client = client(server);
          Ledger ledger = Ledger.open(ledgerFile, Ledger.Fsync.INTERVAL)) {
        assertThat(ledger.tornBytesDropped()).isPositive();
        second = new Generation(client, ledger, settings(false, 0));
        resumed = runAll(second, problems);
        assertThat(client.counters().totalRetries()).isPositive();
      }
      assertThat(second.resumedRequests()).isEqualTo(100);
      assertThat(second.newRequests()).isEqualTo(60 * 3 - 100);
      // same dataset as the uninterrupted run
      for (String id : problems.keySet()) {
        assertThat(resumed.get(id).ok()).isTrue();
        assertThat(resumed.get(id).generations()).isEqualTo(reference.get(id).generations());
      }
      // the server answered every request exactly once over both runs
      assertThat(server.completionsServed()).isEqualTo(60 * 3);
      assertThat(server.bodiesServedMoreThanOnce()).isZero();
    }
    List<Ledger.Entry> entries = new ArrayList<>();
    Ledger.read(ledgerFile, entries::add);
    assertThat(entries).hasSize(180);
    assertThat(entries.stream().map(Ledger.Entry::key).distinct().count()).isEqualTo(180);
  }

  @Test
  void settingsAndClientConfigSurviveJavaSerialization() throws Exception {
    // a Beam DoFn holds these as fields and is serialised to the workers
    Object[] values = {
      settings(false, 7),
      TeacherClientConfig.defaults("https://api.deepseek.com/v1", "DEEPSEEK_API_KEY"),
      LocalTeacher.Options.defaults(),
      LocalTeacherServer.Faults.latency(5)
    };
    for (Object value : values) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(value);
      }
      try (java.io.ObjectInputStream in =
          new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        assertThat(in.readObject()).isEqualTo(value);
      }
    }
  }

  @Test
  void nPerRequestGivesAllGenerationsFromOneRequest() throws Exception {
    try (LocalTeacherServer server = LocalTeacherServer.start(TEACHER);
        TeacherClient client = client(server);
        Ledger ledger = Ledger.open(dir.resolve("n.jsonl"), Ledger.Fsync.NEVER)) {
      Generation g = new Generation(client, ledger, settings(true, 0));
      Map<String, Generation.Result> results = runAll(g, problems(12));
      assertThat(results.values())
          .allSatisfy(
              r -> {
                assertThat(r.ok()).isTrue();
                assertThat(r.generations())
                    .hasSize(3)
                    .extracting(Choice::index)
                    .containsExactly(0, 1, 2);
                // one request: one key, and the usage shares add up to what the server billed
                assertThat(r.samples()).extracting(Generation.Sample::requestKey).containsOnly(r.samples().get(0).requestKey());
                assertThat(r.samples()).allMatch(sample -> sample.usage().promptTokens() > 0);
                long completion = r.samples().stream().mapToLong(sample -> sample.usage().completionTokens()).sum();
                assertThat(completion).isEqualTo(ledger.get(r.samples().get(0).requestKey()).response().usage().completionTokens());
              });
      assertThat(server.completionsServed()).isEqualTo(12);
      // warm sampling takes different search paths for some Countdown problems
      assertThat(results.values())
          .anyMatch(r -> r.generations().stream().map(Choice::content).distinct().count() > 1);
    }
  }

  @Test
  void aProblemThatKeepsFailingBecomesAFailureRowWithItsReason() throws Exception {
    LocalTeacherServer.Faults always500 = new LocalTeacherServer.Faults(0, 0, 1.0, 0, 0, 0, 1);
    try (LocalTeacherServer server = LocalTeacherServer.start("127.0.0.1", 0, TEACHER, always500);
        TeacherClient client =
            new TeacherClient(
                TeacherClientConfig.defaults(server.baseUrl(), null)
                    .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(2)));
        Ledger ledger = Ledger.open(dir.resolve("fail.jsonl"), Ledger.Fsync.NEVER)) {
      Generation.Result r =
          new Generation(client, ledger, settings(false, 0))
              .submit("p1", problems(2).get("p1"))
              .join();
      assertThat(r.ok()).isFalse();
      assertThat(r.failure()).contains("HTTP 500").contains("after 2 attempts");
      assertThat(r.samples()).hasSize(3).allMatch(sample -> !sample.ok() && sample.failure().contains("HTTP 500"));
      assertThat(ledger.size()).isZero();
    }
  }
}
