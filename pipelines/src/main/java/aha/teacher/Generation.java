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
 * <p>A sample whose request fails after all retries (or hits the {@code max_requests} budget)
 * comes back as a failed {@link Sample} with the reason, never as a silent drop; the problem's
 * finished requests stay in the ledger, so the rerun only pays for the rest.
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
   * One sample of a problem: the completion, or why there is none.
   *
   * @param index the sample index, 0..num_generations-1
   * @param choice the completion (its index is the sample index), or null when the sample failed
   * @param usage this sample's tokens: its request's, or with {@code n} per request the request's
   *     prompt tokens and an even share of its completion tokens (the first sample takes the
   *     remainder, so the shares add up to what the server billed)
   * @param requestKey the idempotency key of the request that carried the sample (the ledger key)
   * @param failure why the sample has no completion (retries exhausted, budget spent), or null
   */
  public record Sample(int index, Choice choice, Usage usage, String requestKey, String failure) {
    public boolean ok() {
      return failure == null;
    }
  }

  /**
   * What one problem got: every sample, failed or not, in sample order.
   *
   * @param resumed requests answered from the ledger instead of the teacher
   */
  public record Result(String problemId, List<Sample> samples, String model, int resumed) {
    public Result {
      samples = List.copyOf(samples);
    }

    /** Whether every sample has its completion. */
    public boolean ok() {
      return samples.stream().allMatch(Sample::ok);
    }

    /** The first failed sample's reason, or null when all succeeded. */
    public String failure() {
      return samples.stream().filter(s -> !s.ok()).map(Sample::failure).findFirst().orElse(null);
    }

    /** The completions of the samples that succeeded, in sample order. */
    public List<Choice> generations() {
      return samples.stream().filter(Sample::ok).map(Sample::choice).toList();
    }
  }

  private final TeacherClient client;
  private final Ledger ledger;
  private final Settings settings;
  private final AtomicLong newRequests;
  private final String teacherKey;
  private final AtomicLong resumedRequests = new AtomicLong();

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
   * @param teacherKey who answers, as it goes into every {@link RequestKey}: the base URL, or for a
   *     teacher started per run on a free port (the local one) a name that stays the same across
   *     runs, or a rerun would find none of its finished requests
   */
  public Generation(TeacherClient client, Ledger ledger, Settings settings, AtomicLong sent, String teacherKey) {
    this.client = client;
    this.ledger = ledger;
    this.settings = settings;
    this.newRequests = sent;
    this.teacherKey = teacherKey;
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
    List<String> keys = new ArrayList<>();
    int[] resumed = {0};
    for (int s = 0; s < requests.size(); s++) {
      ChatRequest r = requests.get(s);
      String key = RequestKey.of(problemId, s, teacherKey, r);
      keys.add(key);
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
        .handle((ignored, error) -> assemble(problemId, parts, keys, resumed[0]));
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

  /** One request's samples: its choices, or one failed sample per sample it was to carry. */
  private Result assemble(
      String problemId, List<CompletableFuture<ChatResponse>> parts, List<String> keys, int resumed) {
    List<Sample> samples = new ArrayList<>();
    int perRequest = settings.nPerRequest() ? settings.numGenerations() : 1;
    String model = settings.model();
    for (int r = 0; r < parts.size(); r++) {
      ChatResponse response;
      try {
        response = parts.get(r).join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        for (int k = 0; k < perRequest; k++) {
          samples.add(new Sample(samples.size(), null, Usage.NONE, keys.get(r), String.valueOf(cause.getMessage())));
        }
        continue;
      }
      List<Choice> choices = response.choices();
      Usage u = response.usage() == null ? Usage.NONE : response.usage();
      int n = Math.max(1, choices.size());
      for (int k = 0; k < choices.size(); k++) {
        Choice c = choices.get(k);
        long completion = u.completionTokens() / n + (k == 0 ? u.completionTokens() % n : 0);
        Usage share = n == 1 ? u : new Usage(u.promptTokens(), completion, u.promptTokens() + completion);
        int index = samples.size();
        samples.add(new Sample(index, new Choice(index, c.content(), c.reasoning(), c.finishReason()), share, keys.get(r), null));
      }
      if (!response.model().isEmpty()) model = response.model();
    }
    return new Result(problemId, samples, model, resumed);
  }
}
