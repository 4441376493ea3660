package aha.teacher;

/**
 * A request that did not complete: a status the client does not retry (400, 401, 404, ...), or
 * retries exhausted. The message names the HTTP status and the server's error message; it never
 * holds the API key (the key only travels in a header, and is masked in any server text).
 */
public class TeacherException extends RuntimeException {
  private final int status;
  private final int attempts;
  private final boolean retryable;

  public TeacherException(String message, int status, int attempts, boolean retryable) {
    super(message);
    this.status = status;
    this.attempts = attempts;
    this.retryable = retryable;
  }

  /** The HTTP status of the last attempt, or 0 when it failed before a status arrived. */
  public int status() {
    return status;
  }

  public int attempts() {
    return attempts;
  }

  /** True when the last failure was of a retryable kind (so attempts ran out). */
  public boolean retryable() {
    return retryable;
  }
}
