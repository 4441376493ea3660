package aha.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local teacher over HTTP, speaking the OpenAI chat-completions protocol like vLLM or SGLang:
 * {@code POST /v1/chat/completions} (streaming and not, any {@code n}, usage counted as characters
 * / 4), {@code GET /v1/models} and {@code GET /health}. Binds to 127.0.0.1 by default; port 0 picks
 * a free port ({@link #port()} reports it). Any model name is accepted and echoed.
 *
 * <p>Like vLLM ({@code max-num-seqs}) or SGLang ({@code max-running-requests}) it can bound the
 * requests it works on at once ({@code maxRunning}); the rest wait in its queue. A fixed-latency
 * server with {@code maxRunning} slots has a capacity of {@code maxRunning / latency} completions
 * per second, which is what the client benchmark measures against.
 *
 * <p>For tests it can inject faults ({@link Faults}), decided per request body and attempt from a
 * seed, so a run is reproducible whatever the client's concurrency. It also counts what it served
 * ({@link #maxInFlight()}, {@link #bodiesServedMoreThanOnce()}) so tests can check the client's
 * concurrency limit and that a resumed run never had a finished request answered twice.
 */
public final class LocalTeacherServer implements AutoCloseable {
  static {
    // the JDK server leaves Nagle on by default: with keep-alive and small responses that adds
    // ~40 ms per request (delayed ACK); must be set before its config class loads
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /**
   * Injected faults: probabilities per attempt (drawn in this order, so they add up), plus a fixed
   * latency before every answer.
   *
   * @param rate429 answer 429 with {@code Retry-After: retryAfterSeconds}
   * @param rate500 answer 500
   * @param rateDrop close the connection without an answer (mid-stream for streaming requests)
   * @param rateMalformed answer 200 with a body that is not valid JSON
   */
  public record Faults(
      double rate429,
      int retryAfterSeconds,
      double rate500,
      double rateDrop,
      double rateMalformed,
      long latencyMillis,
      long seed)
      implements java.io.Serializable {
    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0);

    public static Faults latency(long millis) {
      return new Faults(0, 0, 0, 0, 0, millis, 0);
    }

    /** The same fault rates with another latency. */
    public Faults withLatency(long millis) {
      return new Faults(rate429, retryAfterSeconds, rate500, rateDrop, rateMalformed, millis, seed);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final ChatBackend teacher;
  private final Faults faults;
  private final java.util.concurrent.Semaphore slots; // null: no limit
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong completions = new AtomicLong();
  private final AtomicLong busyNanos = new AtomicLong();
  private final Map<String, AtomicInteger> attemptsByBody = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> servedByBody = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> faultCounts = new ConcurrentHashMap<>();

  private LocalTeacherServer(
      HttpServer server, ExecutorService executor, ChatBackend teacher, Faults faults, int maxRunning) {
    this.server = server;
    this.executor = executor;
    this.teacher = teacher;
    this.faults = faults;
    this.slots = maxRunning > 0 ? new java.util.concurrent.Semaphore(maxRunning, true) : null;
  }

  /** Starts a server without a limit on requests worked on at once; {@code port} 0 picks a free one. */
  public static LocalTeacherServer start(String host, int port, ChatBackend teacher, Faults faults)
      throws IOException {
    return start(host, port, teacher, faults, 0);
  }

  /**
   * Starts a server; {@code port} 0 picks a free one.
   *
   * @param maxRunning requests worked on at once (the latency, the answer), 0 for no limit; later
   *     ones wait in arrival order, as in vLLM's or SGLang's queue
   */
  public static LocalTeacherServer start(String host, int port, ChatBackend teacher, Faults faults, int maxRunning)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 1024);
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "local-teacher");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(executor);
    LocalTeacherServer s = new LocalTeacherServer(http, executor, teacher, faults, maxRunning);
    http.createContext("/v1/chat/completions", s::chat);
    http.createContext("/v1/models", s::models);
    http.createContext("/health", s::health);
    http.createContext(
        "/", ex -> s.sendError(ex, 404, "not_found", "no route " + ex.getRequestURI().getPath()));
    http.start();
    return s;
  }

  /** A fault-free server on 127.0.0.1 and a free port. */
  public static LocalTeacherServer start(ChatBackend teacher) throws IOException {
    return start("127.0.0.1", 0, teacher, Faults.NONE);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The API root for clients, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    return "http://" + server.getAddress().getHostString() + ":" + port() + "/v1";
  }

  /** The most chat requests handled at the same moment since start. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * Nanoseconds that chat requests held the server, summed over requests: from taking a slot (from
   * arrival when there is no limit) to the last byte of the answer. Over a time window, {@code
   * busy / (slots * window)} is how busy the client kept the server, whatever the machine's load
   * does to the latency the server promised.
   */
  public long busyNanos() {
    return busyNanos.get();
  }

  /** Chat responses sent in full (200, every choice). */
  public long completionsServed() {
    return completions.get();
  }

  /**
   * Request bodies that got a full 200 answer more than once (0 for a client that resumes right).
   */
  public long bodiesServedMoreThanOnce() {
    return servedByBody.values().stream().filter(c -> c.get() > 1).count();
  }

  /** Faults injected so far by kind: {@code 429}, {@code 500}, {@code drop}, {@code malformed}. */
  public Map<String, Long> faultsInjected() {
    Map<String, Long> out = new TreeMap<>();
    faultCounts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void health(HttpExchange ex) throws IOException {
    sendJson(ex, 200, "{\"status\":\"ok\"}");
  }

  private void models(HttpExchange ex) throws IOException {
    ObjectNode root = ChatCodec.JSON.createObjectNode().put("object", "list");
    root.putArray("data")
        .addObject()
        .put("id", teacher.model())
        .put("object", "model")
        .put("created", 0)
        .put("owned_by", "aha");
    sendJson(ex, 200, ChatCodec.write(root));
  }

  private void chat(HttpExchange ex) throws IOException {
    boolean dropped = false;
    boolean slot = false;
    long busySince = 0;
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    counted.add(ex);
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        sendError(ex, 405, "invalid_request_error", "use POST for /v1/chat/completions");
        return;
      }
      byte[] raw = ex.getRequestBody().readAllBytes();
      String bodyKey =
          HexFormat.of().formatHex(LocalTeacher.sha256(new String(raw, StandardCharsets.UTF_8)));
      ChatRequest request;
      JsonNode json;
      try {
        json = ChatCodec.JSON.readTree(raw);
        request = ChatCodec.parseRequest(json);
      } catch (IOException | IllegalArgumentException e) {
        sendError(ex, 400, "invalid_request_error", "bad request body: " + e.getMessage());
        return;
      }
      if (slots != null) {
        slots.acquire(); // queued until one of the running requests finishes
        slot = true;
      }
      busySince = System.nanoTime();
      if (faults.latencyMillis() > 0) Thread.sleep(faults.latencyMillis());
      int attempt =
          attemptsByBody.computeIfAbsent(bodyKey, k -> new AtomicInteger()).incrementAndGet();
      String fault = drawFault(bodyKey, attempt);
      if (fault != null)
        faultCounts.computeIfAbsent(fault, k -> new AtomicLong()).incrementAndGet();
      if ("429".equals(fault)) {
        ex.getResponseHeaders().set("Retry-After", Integer.toString(faults.retryAfterSeconds()));
        sendError(ex, 429, "rate_limit_error", "rate limit reached, retry later");
        return;
      }
      if ("500".equals(fault)) {
        sendError(ex, 500, "server_error", "injected internal error");
        return;
      }
      if ("drop".equals(fault) && !request.stream()) {
        dropped = true; // leave the exchange open: the JDK server closes the socket on the throw
        throw new IOException("injected dropped connection");
      }
      boolean includeUsage = json.path("stream_options").path("include_usage").asBoolean(false);
      List<LocalTeacher.Completion> choices = teacher.complete(request);
      String id = "chatcmpl-" + bodyKey.substring(0, 24);
      if (fault == null) {
        // counted before the answer leaves, so a client that has it never sees a stale count
        completions.incrementAndGet();
        servedByBody.computeIfAbsent(bodyKey, k -> new AtomicInteger()).incrementAndGet();
      }
      if (request.stream()) {
        dropped = "drop".equals(fault);
        stream(ex, request, id, choices, includeUsage, fault);
      } else if ("malformed".equals(fault)) {
        sendJson(ex, 200, "{\"id\": \"" + id + "\", \"choices\": [{\"index\": 0, \"mess");
      } else {
        sendJson(ex, 200, ChatCodec.write(responseJson(request, id, choices)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      if (busySince != 0) busyNanos.addAndGet(System.nanoTime() - busySince);
      if (slot) slots.release();
      leaveInFlight(ex);
      // closing a dropped exchange would end the chunked body cleanly; a drop must not
      if (!dropped) ex.close();
    }
  }

  private String drawFault(String bodyKey, int attempt) {
    double total = faults.rate429() + faults.rate500() + faults.rateDrop() + faults.rateMalformed();
    if (total <= 0) return null;
    // SplittableRandom mixes its seed, so neighbouring attempts draw independent values
    long mixed =
        faults.seed()
            ^ Long.parseUnsignedLong(bodyKey.substring(0, 15), 16)
            ^ (attempt * 0x9E3779B97F4A7C15L);
    double u = new java.util.SplittableRandom(mixed).nextDouble();
    if ((u -= faults.rate429()) < 0) return "429";
    if ((u -= faults.rate500()) < 0) return "500";
    if ((u -= faults.rateDrop()) < 0) return "drop";
    if ((u -= faults.rateMalformed()) < 0) return "malformed";
    return null;
  }

  private ObjectNode responseJson(
      ChatRequest request, String id, List<LocalTeacher.Completion> choices) {
    ObjectNode root = ChatCodec.JSON.createObjectNode();
    root.put("id", id)
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000);
    root.put("model", request.model());
    ArrayNode arr = root.putArray("choices");
    int completionTokens = 0;
    for (int i = 0; i < choices.size(); i++) {
      LocalTeacher.Completion c = choices.get(i);
      ObjectNode choice = arr.addObject().put("index", i);
      ObjectNode message =
          choice.putObject("message").put("role", "assistant").put("content", c.content());
      if (c.reasoning() != null) message.put("reasoning_content", c.reasoning());
      choice.put("finish_reason", c.finishReason());
      completionTokens += c.tokens();
    }
    usage(root, request, completionTokens);
    return root;
  }

  private static void usage(ObjectNode root, ChatRequest request, int completionTokens) {
    int prompt = LocalTeacher.promptTokens(request);
    root.putObject("usage")
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", prompt + completionTokens);
  }

  /** Server-sent events as vLLM sends them: role, deltas of ~32 characters, finish, usage, DONE. */
  private void stream(
      HttpExchange ex,
      ChatRequest request,
      String id,
      List<LocalTeacher.Completion> choices,
      boolean includeUsage,
      String fault)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    long created = System.currentTimeMillis() / 1000;
    int completionTokens = 0;
    int events = 0;
    for (int i = 0; i < choices.size(); i++) {
      LocalTeacher.Completion c = choices.get(i);
      completionTokens += c.tokens();
      ObjectNode first = chunk(id, created, request, i);
      delta(first).put("role", "assistant").put("content", "");
      event(out, first);
      if (c.reasoning() != null) {
        for (String piece : pieces(c.reasoning())) {
          ObjectNode ev = chunk(id, created, request, i);
          delta(ev).put("reasoning_content", piece);
          event(out, ev);
        }
      }
      for (String piece : pieces(c.content())) {
        if ("drop".equals(fault) && ++events == 3) {
          out.flush();
          throw new IOException("injected dropped connection mid-stream");
        }
        if ("malformed".equals(fault) && ++events == 3) {
          out.write(
              "data: {\"choices\": [{\"delta\": {\"cont\n\n".getBytes(StandardCharsets.UTF_8));
          continue;
        }
        ObjectNode ev = chunk(id, created, request, i);
        delta(ev).put("content", piece);
        event(out, ev);
      }
      ObjectNode last = chunkRoot(id, created, request);
      last.putArray("choices")
          .addObject()
          .put("index", i)
          .put("finish_reason", c.finishReason())
          .putObject("delta");
      event(out, last);
    }
    if ("drop".equals(fault)) {
      out.flush();
      throw new IOException("injected dropped connection before the end of the stream");
    }
    if ("malformed".equals(fault) && events < 3) {
      out.write("data: {\"choices\": [{\"delta\": {\"cont\n\n".getBytes(StandardCharsets.UTF_8));
    }
    if (includeUsage) {
      ObjectNode u = chunkRoot(id, created, request);
      u.putArray("choices");
      usage(u, request, completionTokens);
      event(out, u);
    }
    leaveInFlight(ex);
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static List<String> pieces(String text) {
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < text.length(); i += 32)
      out.add(text.substring(i, Math.min(text.length(), i + 32)));
    return out;
  }

  private static ObjectNode chunkRoot(String id, long created, ChatRequest request) {
    ObjectNode root = ChatCodec.JSON.createObjectNode();
    root.put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", request.model());
    return root;
  }

  /** A chunk for choice {@code index} with an empty delta (see {@link #delta}). */
  private static ObjectNode chunk(String id, long created, ChatRequest request, int index) {
    ObjectNode root = chunkRoot(id, created, request);
    ObjectNode choice = root.putArray("choices").addObject().put("index", index);
    choice.putObject("delta");
    choice.putNull("finish_reason");
    return root;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return (ObjectNode) chunk.get("choices").get(0).get("delta");
  }

  private static void event(OutputStream out, ObjectNode root) throws IOException {
    out.write(("data: " + ChatCodec.write(root) + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  private void sendError(HttpExchange ex, int status, String type, String message)
      throws IOException {
    ObjectNode root = ChatCodec.JSON.createObjectNode();
    root.putObject("error").put("message", message).put("type", type).put("code", status);
    sendJson(ex, status, ChatCodec.write(root));
  }

  // exchanges still counted in flight (the JDK's exchange attributes are shared per context)
  private final java.util.Set<HttpExchange> counted = ConcurrentHashMap.newKeySet();

  /**
   * Leaves the in-flight count just before the last bytes go out: the client can only send its next
   * request after reading them, so the count never shows overlap the client did not cause.
   */
  private void leaveInFlight(HttpExchange ex) {
    if (counted.remove(ex)) inFlight.decrementAndGet();
  }

  private void sendJson(HttpExchange ex, int status, String json) throws IOException {
    leaveInFlight(ex);
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
