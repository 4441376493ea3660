package aha.generate;

import aha.dataset.Completion;
import aha.dataset.Problem;
import aha.dataset.ProblemGenerations;
import aha.teacher.ChatMessage;
import aha.teacher.Generation;
import aha.teacher.Ledger;
import aha.teacher.TeacherClient;
import aha.teacher.TeacherClientConfig;
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
 * Calls the teacher for each problem and emits one row per problem with all its samples. The
 * samples of a problem, and the problems of a bundle, are in flight together (the client bounds
 * them); rows are emitted when the bundle finishes. A row with a failed sample goes to {@link
 * #FAILED} unless failures are allowed. The client and the ledger are built in {@code @Setup}: only
 * serializable settings travel with the DoFn.
 */
final class GenerateFn extends DoFn<Problem, ProblemGenerations> {
  static final TupleTag<ProblemGenerations> GENERATIONS = new TupleTag<>() {};
  static final TupleTag<ProblemGenerations> FAILED = new TupleTag<>() {};

  private final TeacherClientConfig config;
  private final Generation.Settings settings;
  private final String ledgerDir;
  private final String systemPrompt;
  private final String promptTemplate;
  private final boolean allowFailures;
  private final String teacherKey;
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

  GenerateFn(TeacherClientConfig config, Generation.Settings settings, String ledgerDir, String systemPrompt,
      String promptTemplate, boolean allowFailures, String teacherKey) {
    this.config = config;
    this.teacherKey = teacherKey;
    this.allowFailures = allowFailures;
    this.settings = settings;
    this.ledgerDir = ledgerDir;
    this.systemPrompt = systemPrompt;
    this.promptTemplate = promptTemplate;
  }

  @Setup
  public void setup() throws Exception {
    client = CLIENTS.computeIfAbsent(runId, k -> new Shared(new TeacherClient(config))).acquire();
    // one ledger file per worker process: two processes never append to one file
    ledger = Ledger.shared(Path.of(ledgerDir), "worker-" + ProcessHandle.current().pid(), Ledger.Fsync.INTERVAL);
    generation = new Generation(client, ledger, settings, SENT.computeIfAbsent(runId, k -> new AtomicLong()), teacherKey);
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
    long failedSamples = 0;
    for (CompletableFuture<Done> f : pending) {
      ProblemGenerations row = row(f.join());
      long failed = row.samples().stream().filter(ProblemGenerations.Sample::failed).count();
      failedSamples += failed;
      c.output(failed > 0 && !allowFailures ? FAILED : GENERATIONS, row, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
    }
    Metrics.counter("aha", "generate.problems_done").inc(pending.size());
    if (failedSamples > 0) Metrics.counter("aha", "generate.failed_samples").inc(failedSamples);
    pending.clear();
    reportCounters();
  }

  private static ProblemGenerations row(Done d) {
    List<Completion.Message> sent = d.messages().stream().map(m -> new Completion.Message(m.role(), m.content())).toList();
    List<ProblemGenerations.Sample> samples = new ArrayList<>();
    for (Generation.Sample s : d.result().samples()) {
      samples.add(s.ok()
          ? new ProblemGenerations.Sample(s.index(), s.choice().content(), s.choice().reasoning(), s.choice().finishReason(),
              s.usage().promptTokens(), s.usage().completionTokens(), s.requestKey(), null)
          : new ProblemGenerations.Sample(s.index(), "", "", "", 0, 0, s.requestKey(), s.failure()));
    }
    return new ProblemGenerations(d.problem(), d.result().model(), sent, samples);
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
