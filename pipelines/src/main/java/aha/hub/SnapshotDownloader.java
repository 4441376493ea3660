package aha.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole repository (or the files matching patterns) into {@code snapshots/<commit>/}, as {@code
 * snapshot_download} does: resolve the revision to a commit once, list the tree at that commit
 * (paginated), download each missing file by commit, then write {@code refs/<revision>}. Files
 * already linked in the snapshot cost no request at all.
 */
final class SnapshotDownloader {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotDownloader.class);

  /** Parallel file downloads; the Hub limits bursts, and small files are latency-bound. */
  static final int WORKERS = 4;

  private final HubHttp http;
  private final HubCache cache;
  private final FileDownloader files;

  SnapshotDownloader(HubHttp http, HubCache cache, FileDownloader files) {
    this.http = http;
    this.cache = cache;
    this.files = files;
  }

  Path download(RepoType type, String repoId, String revision, PathPatterns patterns)
      throws IOException {
    String what = type.id() + " " + repoId + " at revision " + revision;
    if (http.settings().offline()) {
      Path cached =
          cache
              .cachedSnapshot(type, repoId, revision)
              .orElseThrow(
                  () ->
                      new HubAccessException.NotCached(
                          "Offline mode is on (HF_HUB_OFFLINE) and "
                              + what
                              + " is not in the cache "
                              + cache.root()
                              + "."));
      return complete(cached, patterns, what, "offline mode is on (HF_HUB_OFFLINE)");
    }
    String commit;
    try {
      // first try without retries: when the Hub is down or busy, a cached snapshot answers at once
      commit =
          HubCache.COMMIT.matcher(revision).matches()
              ? revision
              : resolveCommit(type, repoId, revision, what, false);
    } catch (HubAccessException.RevisionNotFound e) {
      throw e;
    } catch (HubAccessException e) {
      return fallback(type, repoId, revision, patterns, what, e);
    } catch (IOException e) {
      Optional<Path> cached = cache.cachedSnapshot(type, repoId, revision);
      if (cached.isPresent()) {
        LOG.warn("Hub unreachable for {} ({}); using the cached snapshot", what, e.getMessage());
        return complete(cached.get(), patterns, what, "the Hub is unreachable: " + e.getMessage());
      }
      commit = resolveCommit(type, repoId, revision, what, true);
    }
    return fetch(type, repoId, revision, commit, patterns, what);
  }

  private Path fetch(
      RepoType type,
      String repoId,
      String revision,
      String commit,
      PathPatterns patterns,
      String what)
      throws IOException {
    Path repoDir = cache.repoDir(type, repoId);
    Optional<List<RepoFile>> cachedTree = TreeCache.read(repoDir, commit);
    List<RepoFile> listing =
        cachedTree.isPresent() ? cachedTree.get() : listFiles(type, repoId, commit, what);
    for (RepoFile f : listing) {
      HubCache.inside(repoDir, f.path()); // refuse a hostile listing before writing anything
    }
    if (cachedTree.isEmpty()) {
      TreeCache.write(repoDir, commit, listing);
    }
    List<RepoFile> wanted = new ArrayList<>();
    for (RepoFile f : listing) {
      if (patterns.matches(f.path())) {
        wanted.add(f);
      }
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(WORKERS, wanted.size())));
    try {
      List<Future<Path>> futures = new ArrayList<>();
      for (RepoFile f : wanted) {
        futures.add(pool.submit(() -> files.download(type, repoId, commit, f.path())));
      }
      for (Future<Path> fut : futures) {
        await(fut);
      }
    } finally {
      pool.shutdownNow();
    }
    Path dir = cache.snapshotDir(repoDir, commit);
    Files.createDirectories(dir);
    cache.writeRef(repoDir, revision, commit);
    LOG.info("{}: {} file(s) in {}", what, wanted.size(), dir);
    return dir;
  }

  /**
   * A cached snapshot answered without the Hub must hold every file the cached listing names (after
   * the patterns), as Python's {@code IncompleteSnapshotError} demands; without a cached listing
   * there is nothing to check against.
   */
  private Path complete(Path snapshot, PathPatterns patterns, String what, String why)
      throws IOException {
    Path repoDir = snapshot.getParent().getParent();
    Optional<List<RepoFile>> tree = TreeCache.read(repoDir, snapshot.getFileName().toString());
    if (tree.isEmpty()) {
      return snapshot;
    }
    List<String> missing = new ArrayList<>();
    for (RepoFile f : tree.get()) {
      if (patterns.matches(f.path()) && !Files.exists(HubCache.inside(snapshot, f.path()))) {
        missing.add(f.path());
      }
    }
    if (missing.isEmpty()) {
      return snapshot;
    }
    throw new HubAccessException.NotCached(
        "The cached snapshot of "
            + what
            + " is incomplete ("
            + missing.size()
            + " file(s) missing, e.g. "
            + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
            + ") and "
            + why
            + "; download it again with network access.");
  }

  /** {@code GET /api/{type}s/{repo}/revision/{rev}} and its {@code sha}. */
  String resolveCommit(RepoType type, String repoId, String revision, String what, boolean retry)
      throws IOException {
    JsonNode info =
        http.getJson(
            http.url(
                "api/"
                    + type.plural()
                    + "/"
                    + repoId
                    + "/revision/"
                    + FileDownloader.encodeSegment(revision)),
            what,
            retry);
    String sha = info.path("sha").asText("");
    if (!HubCache.COMMIT.matcher(sha).matches()) {
      throw new HubTransferException("The Hub's repo info for " + what + " has no commit sha.");
    }
    return sha;
  }

  /** Every file at {@code revision}, following the {@code Link} pagination of the tree API. */
  List<RepoFile> listFiles(RepoType type, String repoId, String revision, String what)
      throws IOException {
    String url =
        http.url(
            "api/"
                + type.plural()
                + "/"
                + repoId
                + "/tree/"
                + FileDownloader.encodeSegment(revision)
                + "?recursive=true&expand=false");
    List<RepoFile> out = new ArrayList<>();
    for (JsonNode item : http.getAllPages(url, what)) {
      RepoFile f = RepoFile.fromTreeItem(item);
      if (f != null) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * A repo the Hub refuses (not found, gated) may still be cached: Python answers from the cache
   * too.
   */
  private Path fallback(
      RepoType type,
      String repoId,
      String revision,
      PathPatterns patterns,
      String what,
      HubAccessException cause)
      throws IOException {
    Optional<Path> cached = cache.cachedSnapshot(type, repoId, revision);
    if (cached.isPresent()) {
      LOG.warn("The Hub refused {} ({}); using the cached snapshot", what, cause.getMessage());
      return complete(cached.get(), patterns, what, "the Hub refused the request");
    }
    throw cause;
  }

  private static void await(Future<Path> fut) throws IOException {
    try {
      fut.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException) {
        throw (IOException) c;
      }
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new IOException(c);
    }
  }
}
