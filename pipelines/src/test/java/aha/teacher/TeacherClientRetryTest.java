package aha.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.teacher.RetryCounters.RetryCause;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's retry, error and streaming behaviour against scripted responses on 127.0.0.1. */
class TeacherClientRetryTest {
  private static final String KEY = "sk-test-secret-0123456789";
  private static final String OK_BODY =
      "{\"id\":\"c1\",\"model\":\"deepseek-reasoner\",\"choices\":[{\"index\":0,\"message\":"
          + "{\"role\":\"assistant\",\"content\":\"<think>\\n2+2=4\\n</think>\\n\\\\boxed{4}\"},"
          + "\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":9,\"total_tokens\":16}}";

  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private TeacherClient client(int attempts) {
    TeacherClientConfig config =
        TeacherClientConfig.defaults(server.url("/v1").toString(), "AHA_TEST_KEY")
            .withRetries(attempts, Duration.ofMillis(10), Duration.ofMillis(50))
            .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ZERO);
    return new TeacherClient(config, name -> name.equals("AHA_TEST_KEY") ? KEY : null);
  }

  private static MockResponse ok() {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(OK_BODY)
        .build();
  }

  private static MockResponse status(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static ChatRequest request() {
    return ChatRequest.of("deepseek-reasoner", "Calculate 2 + 2.");
  }

  @Test
  void parsesAnswerReasoningFinishReasonAndUsage() throws Exception {
    server.enqueue(ok());
    try (TeacherClient client = client(3)) {
      ChatResponse r = client.complete(request().withSampling(0.6, 0.95, 512).withExtra("seed", 3));
      assertThat(r.choices()).hasSize(1);
      Choice c = r.choices().get(0);
      assertThat(c.reasoning()).isEqualTo("2+2=4");
      assertThat(c.answer()).isEqualTo("\\boxed{4}");
      assertThat(c.finishReason()).isEqualTo("stop");
      assertThat(r.usage()).isEqualTo(new Usage(7, 9, 16));
      RecordedRequest sent = server.takeRequest();
      assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
      String body = sent.getBody().utf8();
      assertThat(body)
          .contains("\"temperature\":0.6", "\"top_p\":0.95", "\"max_tokens\":512", "\"seed\":3");
      assertThat(body).doesNotContain("\"n\"", "\"stream\"");
    }
  }

  @Test
  void honoursRetryAfterOn429ThenSucceeds() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "1")
            .body("{\"error\":{\"message\":\"slow down\"}}")
            .build());
    server.enqueue(ok());
    try (TeacherClient client = client(3)) {
      long start = System.nanoTime();
      ChatResponse r = client.complete(request());
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.choices().get(0).answer()).isEqualTo("\\boxed{4}");
      assertThat(elapsedMs).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(950);
      assertThat(client.counters().retries(RetryCause.HTTP_429)).isEqualTo(1);
      assertThat(client.counters().get(RetryCounters.ATTEMPTS)).isEqualTo(2);
      assertThat(server.getRequestCount()).isEqualTo(2);
    }
  }

  @Test
  void retries5xxAndCountsEachRetry() {
    server.enqueue(status(500, "{\"error\":{\"message\":\"boom\"}}"));
    server.enqueue(status(503, "overloaded"));
    server.enqueue(ok());
    try (TeacherClient client = client(5)) {
      client.complete(request());
      assertThat(client.counters().retries(RetryCause.HTTP_5XX)).isEqualTo(2);
      assertThat(client.counters().totalRetries()).isEqualTo(2);
      assertThat(client.counters().get(RetryCounters.SUCCEEDED)).isEqualTo(1);
      assertThat(client.counters().snapshot()).containsEntry("retry.http_5xx", 2L);
    }
  }

  @Test
  void retries408() {
    server.enqueue(status(408, "{}"));
    server.enqueue(ok());
    try (TeacherClient client = client(3)) {
      client.complete(request());
      assertThat(client.counters().retries(RetryCause.HTTP_408)).isEqualTo(1);
    }
  }

  @Test
  void doesNotRetry400AndNamesStatusAndMessage() {
    server.enqueue(
        status(
            400,
            "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\"}}"));
    server.enqueue(ok());
    try (TeacherClient client = client(5)) {
      assertThatThrownBy(() -> client.complete(request()))
          .isInstanceOf(TeacherException.class)
          .hasMessageContaining("HTTP 400")
          .hasMessageContaining("max_tokens is too large")
          .satisfies(e -> assertThat(((TeacherException) e).status()).isEqualTo(400))
          .satisfies(e -> assertThat(((TeacherException) e).retryable()).isFalse());
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(client.counters().totalRetries()).isZero();
      assertThat(client.counters().get(RetryCounters.FAILED)).isEqualTo(1);
    }
  }

  @Test
  void givesUpAfterMaxAttempts() {
    for (int i = 0; i < 3; i++) server.enqueue(status(502, "bad gateway"));
    try (TeacherClient client = client(3)) {
      assertThatThrownBy(() -> client.complete(request()))
          .isInstanceOf(TeacherException.class)
          .hasMessageContaining("after 3 attempts")
          .hasMessageContaining("HTTP 502");
      assertThat(server.getRequestCount()).isEqualTo(3);
      assertThat(client.counters().retries(RetryCause.HTTP_5XX)).isEqualTo(2);
    }
  }

  @Test
  void retriesADroppedConnection() {
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(ok());
    try (TeacherClient client = client(3)) {
      assertThat(client.complete(request()).choices()).hasSize(1);
      assertThat(client.counters().retries(RetryCause.CONNECTION)).isEqualTo(1);
    }
  }

  @Test
  void retriesATimeout() {
    server.enqueue(ok().newBuilder().headersDelay(6, TimeUnit.SECONDS).build());
    server.enqueue(ok());
    // a generous read timeout (1.5 s) so a loaded CI machine does not time out the second answer too
    try (TeacherClient client = new TeacherClient(
        TeacherClientConfig.defaults(server.url("/v1").toString(), null)
            .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(50))
            .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ZERO))) {
      assertThat(client.complete(request()).choices()).hasSize(1);
      assertThat(client.counters().retries(RetryCause.TIMEOUT)).isEqualTo(1);
    }
  }

  @Test
  void retriesAMalformedBody() {
    server.enqueue(status(200, "{\"choices\": [{\"mess"));
    server.enqueue(ok());
    try (TeacherClient client = client(3)) {
      assertThat(client.complete(request()).choices()).hasSize(1);
      assertThat(client.counters().retries(RetryCause.MALFORMED_RESPONSE)).isEqualTo(1);
    }
  }

  @Test
  void assemblesStreamedReasoningContentDeltasAndUsage() throws Exception {
    String sse =
        "data: {\"id\":\"s1\",\"model\":\"deepseek-reasoner\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"}}]}\n\n"
            + ": keep-alive\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"7+9=16, \"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"write 6.\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\\\boxed\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"{16}\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":11,\"total_tokens\":16}}\n\n"
            + "data: [DONE]\n\n";
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "text/event-stream")
            .body(sse)
            .build());
    try (TeacherClient client = client(3)) {
      ChatResponse r = client.complete(request().withStream(true));
      Choice c = r.choices().get(0);
      assertThat(c.reasoning()).isEqualTo("7+9=16, write 6.");
      assertThat(c.content()).isEqualTo("\\boxed{16}");
      assertThat(c.answer()).isEqualTo("\\boxed{16}");
      assertThat(c.finishReason()).isEqualTo("stop");
      assertThat(r.usage()).isEqualTo(new Usage(5, 11, 16));
      assertThat(r.id()).isEqualTo("s1");
      String body = server.takeRequest().getBody().utf8();
      assertThat(body).contains("\"stream\":true", "\"include_usage\":true");
    }
  }

  @Test
  void retriesAStreamCutBeforeDone() {
    String cut = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n";
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "text/event-stream")
            .body(cut)
            .build());
    String full =
        cut
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "text/event-stream")
            .body(full)
            .build());
    try (TeacherClient client = client(3)) {
      assertThat(client.complete(request().withStream(true)).choices().get(0).content())
          .isEqualTo("part");
      assertThat(client.counters().retries(RetryCause.CONNECTION)).isEqualTo(1);
    }
  }

  @Test
  void sendsTheKeyAsBearerButNeverShowsIt() throws Exception {
    server.enqueue(
        status(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));
    try (TeacherClient client = client(3)) {
      Throwable thrown =
          org.assertj.core.api.Assertions.catchThrowable(() -> client.complete(request()));
      assertThat(thrown)
          .isInstanceOf(TeacherException.class)
          .hasMessageContaining("HTTP 401")
          .hasMessageContaining("Incorrect API key");
      java.io.StringWriter trace = new java.io.StringWriter();
      thrown.printStackTrace(new java.io.PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(KEY);
      assertThat(client.toString()).contains("AHA_TEST_KEY").doesNotContain(KEY);
      assertThat(client.config().toString()).doesNotContain(KEY);
      assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    }
  }

  @Test
  void missingKeyVariableIsBadInputNamingIt() {
    TeacherClientConfig config =
        TeacherClientConfig.defaults(server.url("/v1").toString(), "AHA_UNSET_KEY");
    assertThatThrownBy(() -> new TeacherClient(config, name -> null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("AHA_UNSET_KEY");
  }

  @Test
  void retryAfterAcceptsSecondsAndHttpDates() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(Backoff.parseRetryAfter("3", now)).contains(Duration.ofSeconds(3));
    assertThat(Backoff.parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now))
        .contains(Duration.ofSeconds(5));
    assertThat(Backoff.parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now))
        .contains(Duration.ZERO);
    assertThat(Backoff.parseRetryAfter("soon", now)).isEmpty();
    assertThat(Backoff.parseRetryAfter(null, now)).isEmpty();
  }

  @Test
  void fullJitterStaysUnderTheDoublingCap() {
    java.util.Random rng = new java.util.Random(1);
    for (int retry = 1; retry <= 10; retry++) {
      long capMs = Math.min(1000, 100L << (retry - 1));
      for (int i = 0; i < 200; i++) {
        Duration d =
            Backoff.fullJitter(retry, Duration.ofMillis(100), Duration.ofMillis(1000), rng);
        assertThat(d.toMillis()).isBetween(0L, capMs);
      }
    }
  }
}
