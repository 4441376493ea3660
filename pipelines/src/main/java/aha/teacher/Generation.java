package aha.teacher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resumable generation: {@code num_generations} completions per problem through a {@link
 * TeacherClient}, each request keyed ({@link RequestKey}) and recorded in a {@link Ledger} when it
 * finishes, so a rerun after a crash re-sends only what never finished. This is the part of the
 * generate stage without Beam types; the stage's DoFn builds one per worker and calls {@link
 * #submit} per problem.
 *
 * <p>A problem whose requests fail after all retries (or hit the {@code max_requests} budget) comes
 * back as a failed {@link Result} with the reason, never as a silent drop; its finished requests
 * stay in the ledger, so the rerun only pays for the rest.
 */
public final class Generation {

  /**
   * How to sample the teacher.
   *
   * @param nPerRequest one request with {@code n = numGenerations} (vLLM, SGLang, the local
   *     teacher) instead of {@code numGenerations} requests with {@code n = 1} (DeepSeek's API only
   *     serves n = 1)
   * @param seedPerSample with {@code n = 1} requests, send {@code seed = base + sample index} so
   *     the samples differ on servers that honour a seed (the base is {@code extra.seed}, or 0)
   * @param maxRequests the most new requests this generation may send (0 = no limit): a guard
   *     against paying for more than planned
   */
  public record Settings(
      String model,
      int numGenerations,
      boolean nPerRequest,
      Double temperature,
      Double topP,
      Integer maxTokens,
      Map<String, Object> extra,
      boolean stream,
      boolean seedPerSample,
      long maxRequests)
      implements java.io.Serializable {
    public Settings {
      Objects.requireNonNull(model, "model");
      if (numGenerations < 1)
        throw new IllegalArgumentException("num_generations must be at least 1");
      extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
  }

  /**
   * What one problem got.
   *
   * @param generations every completion in sample order; empty when the problem failed
   * @param usage the usage of each request in sample order (one entry when {@code nPerRequest})
   * @param resumed requests answered from the ledger instead of the teacher
   * @param failure why the problem failed, or null
   */
  public record Result(
      String problemId,
      List<Choice> generations,
      List<Usage> usage,
      String model,
      int resumed,
      String failure) {
    public boolean ok() {
      return failure == null;
    }
  }

  private final TeacherClient client;
  private final Ledger ledger;
  private final Settings settings;
  private final AtomicLong newRequests;
  private final AtomicLong resumedRequests = new AtomicLong();
  private final String teacherId;

  public Generation(TeacherClient client, Ledger ledger, Settings settings) {
    this(client, ledger, settings, new AtomicLong());
  }

  /**
   * @param sent the count of new requests that {@code max_requests} limits; pass one shared counter
   *     to every Generation of a run in this process (Beam makes a DoFn per thread), so the budget
   *     holds for the process, not per thread
   */
  public Generation(TeacherClient client, Ledger ledger, Settings settings, AtomicLong sent) {
    this(client, ledger, settings, sent, client.config().baseUrl());
  }

  /**
   * @param teacherId who answers, as it goes into every {@link RequestKey}: the base URL for a
   *     server that stays put; a stable name for one whose URL changes per run (the local teacher
   *     listens on a free port), so that keys, the ledger and the written rows do not depend on the
   *     port
   */
  public Generation(TeacherClient client, Ledger ledger, Settings settings, AtomicLong sent, String teacherId) {
    this.client = client;
    this.ledger = ledger;
    this.settings = settings;
    this.newRequests = sent;
    this.teacherId = Objects.requireNonNull(teacherId, "teacherId");
  }

  /** The idempotency key (and ledger key) of sample {@code sample}'s request for a problem. */
  public String key(String problemId, int sample, ChatRequest request) {
    return RequestKey.of(problemId, sample, teacherId, request);
  }

  /** New requests sent to the teacher so far (resumed ones not counted). */
  public long newRequests() {
    return newRequests.get();
  }

  /** Requests answered from the ledger so far. */
  public long resumedRequests() {
    return resumedRequests.get();
  }

  /** The requests of one problem, in sample order (sample index = position). */
  public List<ChatRequest> requests(List<ChatMessage> messages) {
    List<ChatRequest> out = new ArrayList<>();
    int count = settings.nPerRequest() ? 1 : settings.numGenerations();
    for (int s = 0; s < count; s++) {
      Map<String, Object> extra = new TreeMap<>(settings.extra());
      if (!settings.nPerRequest() && settings.seedPerSample()) {
        long base =
            extra.get("seed") instanceof Number ? ((Number) extra.get("seed")).longValue() : 0;
        extra.put("seed", base + s);
      }
      out.add(
          new ChatRequest(
              settings.model(),
              messages,
              settings.nPerRequest() ? settings.numGenerations() : 1,
              settings.temperature(),
              settings.topP(),
              settings.maxTokens(),
              extra,
              settings.stream()));
    }
    return out;
  }

  /** Generates (or resumes) one problem's completions. */
  public CompletableFuture<Result> submit(String problemId, List<ChatMessage> messages) {
    List<ChatRequest> requests = requests(messages);
    List<CompletableFuture<ChatResponse>> parts = new ArrayList<>();
    int[] resumed = {0};
    for (int s = 0; s < requests.size(); s++) {
      ChatRequest r = requests.get(s);
      String key = key(problemId, s, r);
      Ledger.Entry done = ledger.get(key);
      if (done != null) {
        resumed[0]++;
        resumedRequests.incrementAndGet();
        parts.add(CompletableFuture.completedFuture(done.response()));
        continue;
      }
      if (!reserveRequest()) {
        parts.add(
            CompletableFuture.failedFuture(
                new TeacherException(
                    "the max_requests budget of "
                        + settings.maxRequests()
                        + " new requests is spent",
                    0,
                    0,
                    false)));
        continue;
      }
      final int sample = s;
      parts.add(
          client
              .submit(r)
              .thenApply(
                  response -> {
                    ledger.append(new Ledger.Entry(key, problemId, sample, response));
                    return response;
                  }));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
        .handle((ignored, error) -> assemble(problemId, parts, resumed[0]));
  }

  /** Counts one new request, or returns false when the max_requests budget is spent. */
  private boolean reserveRequest() {
    long max = settings.maxRequests();
    while (true) {
      long sent = newRequests.get();
      if (max > 0 && sent >= max) return false;
      if (newRequests.compareAndSet(sent, sent + 1)) return true;
    }
  }

  private Result assemble(
      String problemId, List<CompletableFuture<ChatResponse>> parts, int resumed) {
    List<Choice> generations = new ArrayList<>();
    List<Usage> usage = new ArrayList<>();
    String model = settings.model();
    for (CompletableFuture<ChatResponse> part : parts) {
      ChatResponse response;
      try {
        response = part.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new Result(
            problemId, List.of(), List.of(), model, resumed, String.valueOf(cause.getMessage()));
      }
      for (Choice c : response.choices()) {
        generations.add(
            new Choice(generations.size(), c.content(), c.reasoning(), c.finishReason()));
      }
      usage.add(response.usage());
      if (!response.model().isEmpty()) model = response.model();
    }
    return new Result(problemId, generations, usage, model, resumed, null);
  }
}
