package aha.teacher;

import java.time.Duration;
import java.util.Objects;

/**
 * How the client reaches a teacher.
 *
 * @param baseUrl the API root ending in {@code /v1}, e.g. {@code https://api.deepseek.com/v1} or
 *     {@code http://127.0.0.1:8000/v1}; the client posts to {@code baseUrl + "/chat/completions"}
 * @param apiKeyEnv the environment variable holding the API key, or {@code null} for none (a local
 *     server). The key itself is never part of any config, log or message.
 * @param maxInFlight HTTP calls in flight at once, over all hosts
 * @param maxPerHost HTTP calls in flight at once to one host
 * @param maxPending requests accepted but not finished (in flight, queued or waiting to retry);
 *     {@link TeacherClient#submit} blocks beyond it, which keeps memory bounded for huge datasets
 * @param maxAttempts attempts per request, the first one included
 * @param initialBackoff first backoff cap; the cap doubles per retry up to {@code maxBackoff}, and
 *     the wait is uniform in [0, cap] ("full jitter")
 * @param maxRetryAfter the longest server {@code Retry-After} honoured
 * @param readTimeout the longest silence while reading a response (a stream resets it per chunk)
 * @param callTimeout the longest one attempt may take in all, or zero for no limit
 */
public record TeacherClientConfig(
    String baseUrl,
    String apiKeyEnv,
    int maxInFlight,
    int maxPerHost,
    int maxPending,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxRetryAfter,
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout)
    implements java.io.Serializable {

  public TeacherClientConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    require(maxInFlight >= 1, "max_in_flight must be at least 1, got " + maxInFlight);
    require(maxPerHost >= 1, "max_per_host must be at least 1, got " + maxPerHost);
    require(maxPending >= 1, "max_pending must be at least 1, got " + maxPending);
    require(maxAttempts >= 1, "max_attempts must be at least 1, got " + maxAttempts);
  }

  /**
   * Defaults in open-r1's spirit (its reasoning generator: 10 retries, a 1 h session timeout) with
   * backoff instead of a fixed 10 s sleep.
   */
  public static TeacherClientConfig defaults(String baseUrl, String apiKeyEnv) {
    return new TeacherClientConfig(
        baseUrl,
        apiKeyEnv,
        64,
        64,
        128,
        10,
        Duration.ofMillis(500),
        Duration.ofSeconds(60),
        Duration.ofMinutes(5),
        Duration.ofSeconds(10),
        Duration.ofMinutes(10),
        Duration.ofHours(1));
  }

  public TeacherClientConfig withConcurrency(int inFlight, int perHost, int pending) {
    return new TeacherClientConfig(
        baseUrl,
        apiKeyEnv,
        inFlight,
        perHost,
        pending,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        maxRetryAfter,
        connectTimeout,
        readTimeout,
        callTimeout);
  }

  public TeacherClientConfig withRetries(int attempts, Duration initial, Duration max) {
    return new TeacherClientConfig(
        baseUrl,
        apiKeyEnv,
        maxInFlight,
        maxPerHost,
        maxPending,
        attempts,
        initial,
        max,
        maxRetryAfter,
        connectTimeout,
        readTimeout,
        callTimeout);
  }

  public TeacherClientConfig withTimeouts(Duration connect, Duration read, Duration call) {
    return new TeacherClientConfig(
        baseUrl,
        apiKeyEnv,
        maxInFlight,
        maxPerHost,
        maxPending,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        maxRetryAfter,
        connect,
        read,
        call);
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }
}
