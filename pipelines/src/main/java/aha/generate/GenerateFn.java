package aha.generate;

import aha.dataset.Completion;
import aha.dataset.Problem;
import aha.teacher.ChatMessage;
import aha.teacher.ChatRequest;
import aha.teacher.Choice;
import aha.teacher.Generation;
import aha.teacher.Ledger;
import aha.teacher.TeacherClient;
import aha.teacher.TeacherClientConfig;
import aha.teacher.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Calls the teacher for each problem. Requests of a bundle are in flight together (the client
 * bounds them); results are emitted when the bundle finishes. The client and the ledger are built
 * in {@code @Setup}: only serializable settings travel with the DoFn.
 */
final class GenerateFn extends DoFn<Problem, Completion> {
  static final TupleTag<Completion> COMPLETIONS = new TupleTag<>() {};
  static final TupleTag<Problem> FAILED = new TupleTag<>() {};

  private final TeacherClientConfig config;
  private final Generation.Settings settings;
  private final String ledgerDir;
  private final String systemPrompt;
  private final String promptTemplate;
  private final String teacherId;
  private final String runId = java.util.UUID.randomUUID().toString(); // one budget per pipeline run

  /**
   * New requests per pipeline run in this process, shared by the DoFn instances of all threads so that
   * {@code max_requests} is one budget. (On a cluster each worker process has its own count.)
   */
  private static final Map<String, AtomicLong> SENT = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * One client per pipeline run in this process, shared by the DoFn instances of all threads, so
   * {@code max_in_flight} bounds the process and not each thread.
   */
  private static final Map<String, Shared> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

  /** A client and how many DoFn instances hold it; the last to let go closes it. */
  private static final class Shared {
    final TeacherClient client;
    final Map<String, Long> reported = new HashMap<>(); // client counters already added to Beam's
    int holders;

    Shared(TeacherClient client) {
      this.client = client;
    }

    synchronized TeacherClient acquire() {
      holders++;
      return client;
    }

    synchronized boolean release() {
      return --holders == 0;
    }
  }

  private transient TeacherClient client;
  private transient Ledger ledger;
  private transient Generation generation;
  private transient List<CompletableFuture<Done>> pending;
  private transient long reportedResumed;

  private record Done(Problem problem, List<ChatMessage> messages, Generation.Result result) {}

  GenerateFn(TeacherClientConfig config, Generation.Settings settings, String teacherId, String ledgerDir,
      String systemPrompt, String promptTemplate) {
    this.config = config;
    this.settings = settings;
    this.ledgerDir = ledgerDir;
    this.systemPrompt = systemPrompt;
    this.promptTemplate = promptTemplate;
    this.teacherId = teacherId;
  }

  @Setup
  public void setup() throws Exception {
    client = CLIENTS.computeIfAbsent(runId, k -> new Shared(new TeacherClient(config))).acquire();
    // one ledger file per worker process: two processes never append to one file
    ledger = Ledger.shared(Path.of(ledgerDir), "worker-" + ProcessHandle.current().pid(), Ledger.Fsync.INTERVAL);
    generation = new Generation(client, ledger, settings, SENT.computeIfAbsent(runId, k -> new AtomicLong()), teacherId);
  }

  @StartBundle
  public void startBundle() {
    pending = new ArrayList<>();
  }

  @ProcessElement
  public void process(@Element Problem problem) {
    List<ChatMessage> messages = new ArrayList<>();
    if (systemPrompt != null && !systemPrompt.isEmpty()) messages.add(ChatMessage.system(systemPrompt));
    messages.add(ChatMessage.user(promptTemplate.replace("{problem}", problem.problem())));
    pending.add(generation.submit(problem.id(), messages).thenApply(r -> new Done(problem, messages, r)));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    for (CompletableFuture<Done> f : pending) {
      Done d = f.join();
      if (!d.result().ok()) {
        Map<String, String> extra = new TreeMap<>(d.problem().extra());
        extra.put("failure", d.result().failure());
        Problem p = d.problem();
        c.output(FAILED, new Problem(p.id(), p.problem(), p.answer(), p.source(), p.task(), p.countdown(), extra),
            BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
        continue;
      }
      for (Completion completion : completions(d)) {
        c.output(COMPLETIONS, completion, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
      }
    }
    Metrics.counter("aha", "generate.problems_done").inc(pending.size());
    pending.clear();
    reportCounters();
  }

  private List<Completion> completions(Done d) {
    List<ChatRequest> requests = generation.requests(d.messages());
    List<Completion.Message> sent = d.messages().stream().map(m -> new Completion.Message(m.role(), m.content())).toList();
    List<Choice> choices = d.result().generations();
    List<Completion> out = new ArrayList<>();
    for (int i = 0; i < choices.size(); i++) {
      int request = settings.nPerRequest() ? 0 : i;
      Usage usage = d.result().usage().get(Math.min(request, d.result().usage().size() - 1));
      // one request with n choices reports one usage: share its completion tokens evenly
      long completionTokens = settings.nPerRequest() ? usage.completionTokens() / Math.max(1, choices.size()) : usage.completionTokens();
      Choice ch = choices.get(i);
      out.add(new Completion(d.problem(), i, d.result().model(), sent, ch.reasoning(), ch.content(),
          ch.finishReason(), usage.promptTokens(), completionTokens,
          generation.key(d.problem().id(), request, requests.get(request))));
    }
    return out;
  }

  /** Adds the client's counters since the last bundle to Beam's, for the manifest. */
  private void reportCounters() {
    Shared shared = CLIENTS.get(runId);
    synchronized (shared) { // the client is shared by threads: one reporter at a time
      for (Map.Entry<String, Long> e : new TreeMap<>(client.counters().snapshot()).entrySet()) {
        long delta = e.getValue() - shared.reported.getOrDefault(e.getKey(), 0L);
        if (delta != 0) Metrics.counter("aha", "generate." + e.getKey()).inc(delta);
        shared.reported.put(e.getKey(), e.getValue());
      }
    }
    long resumed = generation.resumedRequests(); // per instance
    if (resumed != reportedResumed) Metrics.counter("aha", "generate.resumed_requests").inc(resumed - reportedResumed);
    reportedResumed = resumed;
  }

  @Teardown
  public void teardown() throws Exception {
    Shared shared = CLIENTS.get(runId);
    if (shared != null && shared.release()) {
      CLIENTS.remove(runId);
      shared.client.close();
    }
    if (ledger != null) ledger.close();
  }
}
