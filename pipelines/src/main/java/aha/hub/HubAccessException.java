package aha.hub;

import aha.BadInputException;

/**
 * The Hub refused access to something the user named: a missing or private repository, a gated
 * repository, an unknown revision, a missing file, or a file not in the cache while offline. The
 * user can fix these (spelling, token, accepting terms, going online), so the CLI exits with 2.
 */
public class HubAccessException extends BadInputException {
  HubAccessException(String message) {
    super(message);
  }

  /** {@code X-Error-Code: RepoNotFound}, or a 401 on a repository URL (missing or private). */
  public static final class RepoNotFound extends HubAccessException {
    RepoNotFound(String message) {
      super(message);
    }
  }

  /** {@code X-Error-Code: GatedRepo}: the user must accept the repository's terms on the Hub. */
  public static final class Gated extends HubAccessException {
    Gated(String message) {
      super(message);
    }
  }

  /** {@code X-Error-Code: RevisionNotFound}: no such branch, tag or commit. */
  public static final class RevisionNotFound extends HubAccessException {
    RevisionNotFound(String message) {
      super(message);
    }
  }

  /** {@code X-Error-Code: EntryNotFound}: the file does not exist at that revision. */
  public static final class EntryNotFound extends HubAccessException {
    EntryNotFound(String message) {
      super(message);
    }
  }

  /** The repository is disabled by the Hub, or the token was rejected. */
  public static final class Denied extends HubAccessException {
    Denied(String message) {
      super(message);
    }
  }

  /** Offline (or the Hub unreachable) and the cache does not hold what was asked for. */
  public static final class NotCached extends HubAccessException {
    NotCached(String message) {
      super(message);
    }
  }
}
