package aha.teacher;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Wait times between attempts: exponential backoff with full jitter, or the server's Retry-After.
 */
final class Backoff {
  private Backoff() {}

  /**
   * Full jitter (uniform in [0, cap], cap = initial * 2^(retry-1) bounded by max): spreads the
   * retries of many clients that failed together, so they do not return in one burst.
   *
   * @param retry 1 for the first retry
   */
  static Duration fullJitter(int retry, Duration initial, Duration max, RandomGenerator random) {
    long capMs = initial.toMillis();
    for (int i = 1; i < retry && capMs < max.toMillis(); i++) capMs *= 2;
    capMs = Math.min(capMs, max.toMillis());
    return Duration.ofMillis(capMs <= 0 ? 0 : random.nextLong(capMs + 1));
  }

  /**
   * Parses a {@code Retry-After} header: delta-seconds or an HTTP date (RFC 9110 section 10.2.3). A
   * date in the past means "now"; anything unparsable is ignored.
   */
  static Optional<Duration> parseRetryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) return Optional.empty();
    String v = header.strip();
    try {
      double seconds = Double.parseDouble(v);
      if (seconds < 0 || Double.isNaN(seconds)) return Optional.empty();
      return Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
