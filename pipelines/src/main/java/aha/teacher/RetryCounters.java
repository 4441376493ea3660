package aha.teacher;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one client, for the stage's manifest: {@code requests}, {@code attempts}, {@code
 * succeeded}, {@code failed}, token totals, and one {@code retry.<cause>} per retry cause ({@code
 * http_408}, {@code http_429}, {@code http_5xx}, {@code timeout}, {@code connection}, {@code
 * malformed_response}, {@code stream_error}).
 */
public final class RetryCounters {
  public static final String REQUESTS = "requests";
  public static final String ATTEMPTS = "attempts";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String PROMPT_TOKENS = "prompt_tokens";
  public static final String COMPLETION_TOKENS = "completion_tokens";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  void add(String name, long delta) {
    counts.computeIfAbsent(name, k -> new LongAdder()).add(delta);
  }

  void retry(RetryCause cause) {
    add("retry." + cause.label(), 1);
  }

  public long get(String name) {
    LongAdder a = counts.get(name);
    return a == null ? 0 : a.sum();
  }

  public long retries(RetryCause cause) {
    return get("retry." + cause.label());
  }

  /** All retries, whatever the cause. */
  public long totalRetries() {
    long sum = 0;
    for (RetryCause c : RetryCause.values()) sum += retries(c);
    return sum;
  }

  /** A sorted copy, ready to put into a manifest. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }

  /** Why an attempt was retried. */
  public enum RetryCause {
    HTTP_408("http_408"),
    HTTP_429("http_429"),
    HTTP_5XX("http_5xx"),
    TIMEOUT("timeout"),
    CONNECTION("connection"),
    MALFORMED_RESPONSE("malformed_response"),
    STREAM_ERROR("stream_error");

    private final String label;

    RetryCause(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
