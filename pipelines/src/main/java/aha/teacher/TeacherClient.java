package aha.teacher;

import aha.BadInputException;
import aha.teacher.ChatCodec.MalformedResponseException;
import aha.teacher.RetryCounters.RetryCause;
import aha.teacher.StreamAssembler.StreamErrorException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Client of the OpenAI chat-completions protocol (DeepSeek's API, vLLM, SGLang, aha's local
 * teacher), built for generating datasets: asynchronous calls with bounded concurrency, retries
 * with exponential backoff and full jitter on 408, 429, 5xx, timeouts, connection resets and
 * malformed bodies (honouring {@code Retry-After}), no retry on other 4xx, and every retry counted
 * by cause in {@link #counters()}.
 *
 * <p>Concurrency: OkHttp's {@link Dispatcher} caps calls in flight ({@code max_in_flight}, and
 * {@code max_per_host} per host) and queues the rest; a semaphore caps requests accepted but not
 * finished ({@code max_pending}), so {@link #submit} blocks a producer that runs ahead. A retry
 * waits outside the dispatcher, so it does not hold an in-flight slot while it sleeps.
 *
 * <p>The API key is read once from the environment variable the config names and only ever goes
 * into the {@code Authorization} header: it is not in {@link #toString()}, logs or exception
 * messages (server error text is masked in case it echoes the key).
 *
 * <pre>{@code
 * try (TeacherClient client = new TeacherClient(
 *     TeacherClientConfig.defaults("https://api.deepseek.com/v1", "DEEPSEEK_API_KEY"))) {
 *   ChatResponse r = client.complete(ChatRequest.of("deepseek-reasoner", "Calculate 347 + 589."));
 * }
 * }</pre>
 */
public final class TeacherClient implements AutoCloseable {
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

  private final TeacherClientConfig config;
  private final HttpUrl url;
  private final String apiKey; // never printed, logged or put into a message
  private final OkHttpClient http;
  private final ScheduledExecutorService retryTimer;
  private final Semaphore pending;
  private final RetryCounters counters = new RetryCounters();
  private final Set<Attempts> active = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A client whose API key (if {@code api_key_env} is set) comes from the process environment. */
  public TeacherClient(TeacherClientConfig config) {
    this(config, System::getenv);
  }

  /**
   * A client reading the API key through {@code environment} (tests pass a map lookup, since a JVM
   * cannot set its own environment).
   *
   * @throws BadInputException when {@code api_key_env} names a variable that is unset or empty
   */
  public TeacherClient(TeacherClientConfig config, Function<String, String> environment) {
    this.config = config;
    HttpUrl base = HttpUrl.parse(config.baseUrl());
    if (base == null) {
      throw new BadInputException(
          "teacher base_url '" + config.baseUrl() + "' is not an http(s) URL.");
    }
    this.url = base.newBuilder().addPathSegments("chat/completions").build();
    if (config.apiKeyEnv() != null && !config.apiKeyEnv().isBlank()) {
      String key = environment.apply(config.apiKeyEnv());
      if (key == null || key.isBlank()) {
        throw new BadInputException(
            "environment variable "
                + config.apiKeyEnv()
                + " (teacher api_key_env) is not set; export it with the API key.");
      }
      this.apiKey = key.strip();
    } else {
      this.apiKey = null;
    }
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(config.maxInFlight());
    dispatcher.setMaxRequestsPerHost(config.maxPerHost());
    this.http =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            // keep one connection per in-flight call alive, or high concurrency churns sockets
            .connectionPool(new ConnectionPool(config.maxInFlight(), 5, TimeUnit.MINUTES))
            .connectTimeout(config.connectTimeout())
            .readTimeout(config.readTimeout())
            .writeTimeout(config.readTimeout())
            .callTimeout(config.callTimeout())
            // OkHttp would silently resend a POST on a stale connection; retry here, counted
            .retryOnConnectionFailure(false)
            .build();
    this.retryTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "teacher-retry-timer");
              t.setDaemon(true);
              return t;
            });
    this.pending = new Semaphore(config.maxPending());
  }

  /**
   * Sends a request; the future completes with the response, or with a {@link TeacherException}
   * when the status is not retryable or attempts run out. Blocks while {@code max_pending} requests
   * are unfinished.
   */
  public CompletableFuture<ChatResponse> submit(ChatRequest request) {
    if (closed) throw new IllegalStateException("the teacher client is closed");
    try {
      pending.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(e);
    }
    counters.add(RetryCounters.REQUESTS, 1);
    Attempts a = new Attempts(request, ChatCodec.requestJson(request));
    active.add(a);
    a.future.whenComplete(
        (r, e) -> {
          active.remove(a);
          pending.release();
        });
    attempt(a);
    return a.future;
  }

  /** Sends a request and waits for the response. */
  public ChatResponse complete(ChatRequest request) {
    try {
      return submit(request).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
      throw e;
    }
  }

  public RetryCounters counters() {
    return counters;
  }

  public TeacherClientConfig config() {
    return config;
  }

  /** Calls in flight now (running in OkHttp's dispatcher). */
  public int inFlight() {
    return http.dispatcher().runningCallsCount();
  }

  /** Stops the client; unfinished requests complete with a {@link TeacherException}. */
  @Override
  public void close() {
    closed = true;
    retryTimer.shutdownNow();
    http.dispatcher().cancelAll();
    for (Attempts a : active) {
      a.future.completeExceptionally(
          new TeacherException("the teacher client was closed", 0, a.attempt, false));
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "TeacherClient[base_url="
        + config.baseUrl()
        + ", api_key_env="
        + (config.apiKeyEnv() == null ? "none" : config.apiKeyEnv())
        + ", max_in_flight="
        + config.maxInFlight()
        + "]";
  }

  /** The state of one request across its attempts. */
  private static final class Attempts {
    final ChatRequest request;
    final byte[] body;
    final CompletableFuture<ChatResponse> future = new CompletableFuture<>();
    volatile int attempt;

    Attempts(ChatRequest request, String json) {
      this.request = request;
      this.body = json.getBytes(StandardCharsets.UTF_8);
    }
  }

  private void attempt(Attempts a) {
    if (closed || a.future.isDone()) return;
    a.attempt++;
    counters.add(RetryCounters.ATTEMPTS, 1);
    Request.Builder rb =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(a.body, JSON_TYPE))
            .header("Accept", a.request.stream() ? "text/event-stream" : "application/json")
            .header("User-Agent", "aha-teacher-client");
    if (apiKey != null) rb.header("Authorization", "Bearer " + apiKey);
    http.newCall(rb.build())
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                retryOrFail(a, causeOf(e), "request failed: " + describe(e), 0, Optional.empty());
              }

              @Override
              public void onResponse(Call call, Response response) {
                handle(a, response);
              }
            });
  }

  private void handle(Attempts a, Response response) {
    int code = response.code();
    try (response) {
      if (code >= 200 && code < 300) {
        String type = response.header("Content-Type", "");
        ChatResponse r =
            a.request.stream() && type.startsWith("text/event-stream")
                ? readStream(response.body().source())
                : ChatCodec.parseResponse(response.body().string());
        succeed(a, r);
      } else if (code == 408 || code == 429 || code >= 500) {
        RetryCause cause =
            code == 408
                ? RetryCause.HTTP_408
                : code == 429 ? RetryCause.HTTP_429 : RetryCause.HTTP_5XX;
        String message = "HTTP " + code + ": " + serverMessage(safeBody(response));
        Optional<Duration> after =
            Backoff.parseRetryAfter(response.header("Retry-After"), Instant.now());
        retryOrFail(a, cause, message, code, after);
      } else {
        counters.add(RetryCounters.FAILED, 1);
        a.future.completeExceptionally(
            new TeacherException(
                "teacher at "
                    + config.baseUrl()
                    + " answered HTTP "
                    + code
                    + ": "
                    + serverMessage(safeBody(response)),
                code,
                a.attempt,
                false));
      }
    } catch (MalformedResponseException e) {
      retryOrFail(a, RetryCause.MALFORMED_RESPONSE, e.getMessage(), code, Optional.empty());
    } catch (StreamErrorException e) {
      retryOrFail(
          a,
          RetryCause.STREAM_ERROR,
          "error event in stream: " + redact(e.getMessage()),
          code,
          Optional.empty());
    } catch (IOException e) {
      retryOrFail(
          a, causeOf(e), "reading the response failed: " + describe(e), code, Optional.empty());
    } catch (RuntimeException e) {
      counters.add(RetryCounters.FAILED, 1);
      a.future.completeExceptionally(e);
    }
  }

  private ChatResponse readStream(BufferedSource source)
      throws IOException, MalformedResponseException, StreamErrorException {
    StreamAssembler assembler = new StreamAssembler();
    String line;
    while (!assembler.done() && (line = source.readUtf8Line()) != null) {
      assembler.line(line);
    }
    if (!assembler.done()) throw new java.io.EOFException("stream ended before data: [DONE]");
    return assembler.response();
  }

  private void succeed(Attempts a, ChatResponse r) {
    counters.add(RetryCounters.SUCCEEDED, 1);
    counters.add(RetryCounters.PROMPT_TOKENS, r.usage().promptTokens());
    counters.add(RetryCounters.COMPLETION_TOKENS, r.usage().completionTokens());
    a.future.complete(r);
  }

  private void retryOrFail(
      Attempts a, RetryCause cause, String message, int status, Optional<Duration> retryAfter) {
    if (closed || a.future.isDone()) return;
    if (a.attempt >= config.maxAttempts()) {
      counters.add(RetryCounters.FAILED, 1);
      a.future.completeExceptionally(
          new TeacherException(
              "teacher at "
                  + config.baseUrl()
                  + " failed after "
                  + a.attempt
                  + " attempts; last: "
                  + message,
              status,
              a.attempt,
              true));
      return;
    }
    counters.retry(cause);
    Duration wait =
        retryAfter
            .map(d -> d.compareTo(config.maxRetryAfter()) > 0 ? config.maxRetryAfter() : d)
            .orElseGet(
                () ->
                    Backoff.fullJitter(
                        a.attempt,
                        config.initialBackoff(),
                        config.maxBackoff(),
                        ThreadLocalRandom.current()));
    try {
      retryTimer.schedule(() -> attempt(a), wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      a.future.completeExceptionally(
          new TeacherException("the teacher client was closed", status, a.attempt, false));
    }
  }

  private static RetryCause causeOf(IOException e) {
    if (e instanceof SocketTimeoutException) return RetryCause.TIMEOUT;
    // OkHttp's call timeout surfaces as InterruptedIOException("timeout")
    if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage())) {
      return RetryCause.TIMEOUT;
    }
    return RetryCause.CONNECTION;
  }

  private String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : " (" + redact(m) + ")");
  }

  private static String safeBody(Response response) {
    try {
      // error bodies are small; cap what is read in case a proxy sends a page of HTML
      return response.peekBody(8192).string();
    } catch (IOException e) {
      return "";
    }
  }

  /** The server's error message: OpenAI's {@code {"error": {"message"}}} or the raw text. */
  private String serverMessage(String body) {
    String text = body.strip();
    try {
      var node = ChatCodec.JSON.readTree(text);
      if (node != null && node.has("error")) {
        var err = node.get("error");
        text = err.isObject() ? err.path("message").asText(err.toString()) : err.asText();
      } else if (node != null && node.has("message")) {
        text = node.get("message").asText();
      }
    } catch (IOException | RuntimeException notJson) {
      // keep the raw text
    }
    return text.isEmpty() ? "(empty body)" : redact(ChatCodec.abbreviate(text));
  }

  private String redact(String text) {
    if (apiKey == null || apiKey.length() < 4 || text == null) return text;
    return text.replace(apiKey, "***");
  }
}
