package aha.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The client against the real local teacher over HTTP on 127.0.0.1. */
class TeacherClientLocalTest {

  private static TeacherClient clientFor(LocalTeacherServer server, int inFlight) {
    TeacherClientConfig config =
        TeacherClientConfig.defaults(server.baseUrl(), null)
            .withConcurrency(inFlight, inFlight, inFlight * 4)
            .withRetries(10, Duration.ofMillis(5), Duration.ofMillis(50));
    return new TeacherClient(config);
  }

  private static ChatRequest problem(int i) {
    String text =
        i % 3 == 0
            ? "Use "
                + (2 + i % 7)
                + " "
                + (3 + i % 5)
                + " "
                + (1 + i % 4)
                + " to make "
                + (5 + i % 11)
                + "."
            : i % 3 == 1
                ? "Calculate " + (100 + i * 7) + " * " + (13 + i) + "."
                : "Solve for x: " + (2 + i % 5) + "x + " + i + " = " + ((2 + i % 5) * 4 + i) + ".";
    return ChatRequest.of(LocalTeacher.MODEL, text).withSampling(0.6, 0.95, 1024);
  }

  @Test
  void streamingAndNonStreamingGiveTheSameChoicesAndUsage() throws Exception {
    LocalTeacher teacher = new LocalTeacher(LocalTeacher.Options.defaults().withSlipRate(0.2));
    try (LocalTeacherServer server = LocalTeacherServer.start(teacher);
        TeacherClient client = clientFor(server, 4)) {
      for (int i = 0; i < 12; i++) {
        ChatRequest r = problem(i).withN(3);
        ChatResponse plain = client.complete(r);
        ChatResponse streamed = client.complete(r.withStream(true));
        assertThat(plain.choices()).hasSize(3);
        assertThat(streamed.choices()).isEqualTo(plain.choices());
        assertThat(streamed.usage()).isEqualTo(plain.usage());
        assertThat(plain.model()).isEqualTo(LocalTeacher.MODEL);
        int expectedCompletion = 0;
        for (Choice c : plain.choices()) expectedCompletion += LocalTeacher.tokens(c.content());
        assertThat(plain.usage().completionTokens()).isEqualTo(expectedCompletion);
        assertThat(plain.usage().promptTokens()).isEqualTo(LocalTeacher.promptTokens(r));
        assertThat(plain.choices()).extracting(Choice::finishReason).containsOnly("stop");
        // what the server sent is what the teacher wrote
        assertThat(plain.choices().get(0).content())
            .isEqualTo(teacher.complete(r).get(0).content());
      }
    }
  }

  @Test
  void reasoningContentFieldTravelsInBothModes() throws Exception {
    LocalTeacher teacher =
        new LocalTeacher(LocalTeacher.Options.defaults().withReasoningField(true));
    try (LocalTeacherServer server = LocalTeacherServer.start(teacher);
        TeacherClient client = clientFor(server, 2)) {
      ChatRequest r = ChatRequest.of(LocalTeacher.MODEL, "Calculate 347 + 589.");
      ChatResponse plain = client.complete(r);
      ChatResponse streamed = client.complete(r.withStream(true));
      Choice c = plain.choices().get(0);
      assertThat(c.content()).isEqualTo("\\boxed{936}");
      assertThat(c.reasoning())
          .startsWith("7+9=16, write 6 carry 1.")
          .contains("Check: 936-589=347");
      assertThat(streamed.choices()).isEqualTo(plain.choices());
    }
  }

  @Test
  void maxTokensGivesFinishReasonLength() throws Exception {
    try (LocalTeacherServer server =
            LocalTeacherServer.start(new LocalTeacher(LocalTeacher.Options.defaults()));
        TeacherClient client = clientFor(server, 2)) {
      ChatRequest r =
          ChatRequest.of(LocalTeacher.MODEL, "Calculate 347 * 589.").withSampling(null, null, 8);
      for (ChatRequest each : List.of(r, r.withStream(true))) {
        Choice c = client.complete(each).choices().get(0);
        assertThat(c.finishReason()).isEqualTo("length");
        assertThat(c.content()).hasSize(32);
      }
    }
  }

  @Test
  void modelsHealthAndBadRequests() throws Exception {
    try (LocalTeacherServer server =
            LocalTeacherServer.start(new LocalTeacher(LocalTeacher.Options.defaults()));
        TeacherClient client = clientFor(server, 2)) {
      OkHttpClient http = new OkHttpClient();
      String root = "http://127.0.0.1:" + server.port();
      try (Response models =
          http.newCall(new Request.Builder().url(root + "/v1/models").build()).execute()) {
        assertThat(models.code()).isEqualTo(200);
        assertThat(models.body().string())
            .contains("\"id\":\"" + LocalTeacher.MODEL + "\"", "\"object\":\"list\"");
      }
      try (Response health =
          http.newCall(new Request.Builder().url(root + "/health").build()).execute()) {
        assertThat(health.code()).isEqualTo(200);
      }
      RequestBody junk = RequestBody.create("{not json", MediaType.get("application/json"));
      try (Response bad =
          http.newCall(new Request.Builder().url(root + "/v1/chat/completions").post(junk).build())
              .execute()) {
        assertThat(bad.code()).isEqualTo(400);
        assertThat(bad.body().string()).contains("invalid_request_error");
      }
      // a 400 through the client is not retried
      ChatRequest zeroTokens =
          ChatRequest.of(LocalTeacher.MODEL, "Calculate 1 + 1.").withSampling(null, null, 0);
      assertThatThrownBy(() -> client.complete(zeroTokens))
          .isInstanceOf(TeacherException.class)
          .hasMessageContaining("HTTP 400")
          .hasMessageContaining("max_tokens");
      assertThat(client.counters().totalRetries()).isZero();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Test
  void neverMoreThanTheLimitInFlightAtTheServer() throws Exception {
    LocalTeacher teacher = new LocalTeacher(LocalTeacher.Options.defaults());
    try (LocalTeacherServer server =
            LocalTeacherServer.start(
                "127.0.0.1", 0, teacher, LocalTeacherServer.Faults.latency(40));
        TeacherClient client = clientFor(server, 6)) {
      List<CompletableFuture<ChatResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 90; i++) futures.add(client.submit(problem(i).withStream(i % 2 == 0)));
      for (CompletableFuture<ChatResponse> f : futures) assertThat(f.join().choices()).hasSize(1);
      assertThat(server.maxInFlight()).isLessThanOrEqualTo(6).isGreaterThanOrEqualTo(3);
      assertThat(server.completionsServed()).isEqualTo(90);
    }
  }

  @Test
  void aServerWithSlotsQueuesTheRestAndCountsItsBusyTime() throws Exception {
    LocalTeacher teacher = new LocalTeacher(LocalTeacher.Options.defaults());
    // 2 slots, 100 ms each, 8 requests sent at once: at least 4 waves, whatever the client does
    try (LocalTeacherServer server =
            LocalTeacherServer.start("127.0.0.1", 0, teacher, LocalTeacherServer.Faults.latency(100), 2);
        TeacherClient client = clientFor(server, 8)) {
      long start = System.nanoTime();
      List<CompletableFuture<ChatResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) futures.add(client.submit(problem(i).withStream(i % 2 == 0)));
      for (CompletableFuture<ChatResponse> f : futures) assertThat(f.join().choices()).hasSize(1);
      long wallMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(wallMillis).isGreaterThanOrEqualTo(400);
      // all 8 reached the server (queued there), but only 2 at a time held a slot: busy time is
      // 8 x 100 ms and at most 2 x the wall time
      assertThat(server.maxInFlight()).isGreaterThan(2);
      // a request's busy time is added once its last byte is out, which can be just after the
      // client has it: give the server's threads a moment to finish their bookkeeping
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (server.busyNanos() < 800_000_000L && System.nanoTime() < deadline) Thread.sleep(10);
      long busyMillis = server.busyNanos() / 1_000_000;
      assertThat(busyMillis).isGreaterThanOrEqualTo(800).isLessThanOrEqualTo(2 * wallMillis);
      assertThat(server.completionsServed()).isEqualTo(8);
    }
  }

  @Test
  void everyProblemCompletesUnderTwentyPercentInjectedFaults() throws Exception {
    LocalTeacher teacher = new LocalTeacher(LocalTeacher.Options.defaults());
    LocalTeacherServer.Faults faults =
        new LocalTeacherServer.Faults(0.05, 0, 0.05, 0.05, 0.05, 0, 99);
    try (LocalTeacherServer server = LocalTeacherServer.start("127.0.0.1", 0, teacher, faults);
        TeacherClient client = clientFor(server, 8)) {
      List<ChatRequest> requests = new ArrayList<>();
      List<CompletableFuture<ChatResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        ChatRequest r = problem(i).withStream(i % 2 == 1).withExtra("seed", i);
        requests.add(r);
        futures.add(client.submit(r));
      }
      for (int i = 0; i < futures.size(); i++) {
        ChatResponse response = futures.get(i).join();
        assertThat(response.choices().get(0).content())
            .isEqualTo(teacher.complete(requests.get(i)).get(0).content());
      }
      RetryCounters counters = client.counters();
      assertThat(counters.get(RetryCounters.SUCCEEDED)).isEqualTo(300);
      assertThat(counters.get(RetryCounters.FAILED)).isZero();
      // every kind of fault happened and was retried under its own cause
      assertThat(server.faultsInjected()).containsKeys("429", "500", "drop", "malformed");
      assertThat(counters.retries(RetryCounters.RetryCause.HTTP_429))
          .isEqualTo(server.faultsInjected().get("429"));
      assertThat(counters.retries(RetryCounters.RetryCause.HTTP_5XX))
          .isEqualTo(server.faultsInjected().get("500"));
      long injected = server.faultsInjected().values().stream().mapToLong(Long::longValue).sum();
      assertThat(counters.totalRetries()).isEqualTo(injected);
      assertThat(server.completionsServed()).isEqualTo(300);
      assertThat(server.bodiesServedMoreThanOnce()).isZero();
    }
  }
}
