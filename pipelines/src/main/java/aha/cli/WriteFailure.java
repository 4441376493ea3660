package aha.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Optional;

/**
 * A failure to write output (a full disk, a read-only folder), found anywhere in an exception's
 * cause chain (Beam wraps a writer's IOException twice), as the one sentence the CLI prints instead
 * of a stack trace. The stage runner has already removed the stage's temporary folder, so nothing
 * half-written is left behind.
 */
final class WriteFailure {
  private WriteFailure() {}

  static Optional<String> of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof IOException && m.contains("No space left on device")) {
        String where = t instanceof FileSystemException f && f.getFile() != null ? " writing " + f.getFile() : "";
        return Optional.of("the disk is full (No space left on device)" + where
            + "; free space or choose another --output-dir, then rerun (finished stages are kept)");
      }
      if (t instanceof AccessDeniedException a) {
        return Optional.of("cannot write " + a.getFile() + " (permission denied); make the folder writable or"
            + " choose another --output-dir");
      }
      if (t instanceof FileSystemException f && m.contains("Read-only file system")) {
        return Optional.of("cannot write " + f.getFile() + " (read-only file system); choose another --output-dir");
      }
    }
    return Optional.empty();
  }
}
