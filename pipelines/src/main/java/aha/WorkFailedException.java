package aha;

/**
 * The work itself failed after its retries (a teacher that keeps refusing, a spent budget): the CLI
 * prints the message as one sentence and exits with code 1. Nothing half-written is left behind.
 */
public class WorkFailedException extends RuntimeException {
  public WorkFailedException(String message) {
    super(message);
  }
}
