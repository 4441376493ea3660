package aha.hub;

import java.io.IOException;

/**
 * A Hub call failed for a reason the user cannot fix by changing the request: a server error after
 * retries, rate limiting that did not end, a download whose size or hash is wrong, a server that
 * does not speak the Hub protocol. The CLI exits with 1.
 */
public class HubTransferException extends IOException {
  private final int status;

  public HubTransferException(String message) {
    this(message, 0, null);
  }

  public HubTransferException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status that ended the call, or 0 when it was not an HTTP status. */
  public int status() {
    return status;
  }
}
