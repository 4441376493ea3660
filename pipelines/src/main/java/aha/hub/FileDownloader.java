package aha.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file into the cache, as {@code hf_hub_download} does it: HEAD the resolve URL for commit,
 * etag and size, GET the content (from the CDN URL of a redirect, without the token), resume with
 * {@code Range}, check size and hash, rename into {@code blobs/}, link from {@code snapshots/}.
 */
final class FileDownloader {
  private static final Logger LOG = LoggerFactory.getLogger(FileDownloader.class);
  private static final int MAX_RESUMES = 5;

  /** Files from this size on get a log line with their throughput. */
  private static final long BIG_FILE = 16L << 20;

  private static final int MAX_SAME_HOST_REDIRECTS = 10;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  /** In-process guard: FileChannel locks are per JVM, two threads on one blob would collide. */
  private static final ConcurrentHashMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

  /** What the metadata HEAD told us. */
  record Metadata(String commit, String etag, long size, String downloadUrl) {}

  private final HubHttp http;
  private final HubCache cache;
  private final HubHttp.Sleeper sleeper;
  private final OkHttpClient headClient;

  FileDownloader(HubHttp http, HubCache cache, HubHttp.Sleeper sleeper) {
    this.http = http;
    this.cache = cache;
    this.sleeper = sleeper;
    this.headClient = http.manual.newBuilder().readTimeout(http.settings().etagTimeout()).build();
  }

  /**
   * Returns {@code snapshots/<commit>/<path>} for the file at {@code revision}, downloading if
   * needed.
   */
  Path download(RepoType type, String repoId, String revision, String pathInRepo)
      throws IOException {
    Path repoDir = cache.repoDir(type, repoId);
    String what = describe(type, repoId, revision, pathInRepo);
    HubCache.inside(repoDir, pathInRepo); // validate before any network call
    if (HubCache.COMMIT.matcher(revision).matches()) {
      Path p = cache.pointer(repoDir, revision, pathInRepo);
      if (Files.exists(p)) {
        return p;
      }
    }
    if (http.settings().offline()) {
      return fromCacheOrThrow(type, repoId, revision, pathInRepo, what, null);
    }
    Metadata meta;
    try {
      // first HEAD without retries: when the Hub is down or busy, a cached copy answers at once
      meta = head(type, repoId, revision, pathInRepo, what, false);
    } catch (HubAccessException.RevisionNotFound | HubAccessException.EntryNotFound e) {
      throw e;
    } catch (HubAccessException e) {
      return fromCacheOrThrow(type, repoId, revision, pathInRepo, what, e);
    } catch (IOException e) {
      Optional<Path> cached = fromCache(type, repoId, revision, pathInRepo, what);
      if (cached.isPresent()) {
        LOG.warn("Hub unreachable for {} ({}); using the cached copy", what, e.getMessage());
        return cached.get();
      }
      meta =
          head(
              type, repoId, revision, pathInRepo, what, true); // nothing cached: back off and retry
    }
    Path pointer = cache.pointer(repoDir, meta.commit(), pathInRepo);
    cache.writeRef(repoDir, revision, meta.commit());
    if (Files.exists(pointer)) {
      return pointer;
    }
    cache.writeCacheDirTag();
    Path blob = cache.blob(repoDir, meta.etag());
    Path lockPath = cache.lockFile(repoDir, meta.etag());
    Files.createDirectories(lockPath.getParent());
    Files.createDirectories(blob.getParent());
    synchronized (JVM_LOCKS.computeIfAbsent(lockPath, k -> new Object())) {
      try (FileChannel lockChannel =
              FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = lockChannel.lock()) {
        if (!Files.exists(blob)) {
          fetchBlob(meta, cache.incomplete(repoDir, meta.etag()), blob, what);
        }
        cache.link(pointer, blob);
      }
    }
    return pointer;
  }

  /** The resolve URL of a file; revision encoded as one segment, path keeping its slashes. */
  String resolveUrl(RepoType type, String repoId, String revision, String pathInRepo) {
    return http.url(
        type.urlPrefix()
            + repoId
            + "/resolve/"
            + encodeSegment(revision)
            + "/"
            + encodePath(pathInRepo));
  }

  /**
   * HEAD with redirects followed by hand: same origin (a renamed repo) is followed with the token;
   * another origin is the CDN, whose URL becomes the download URL and whose 3xx carries the
   * metadata.
   */
  Metadata head(
      RepoType type, String repoId, String revision, String pathInRepo, String what, boolean retry)
      throws IOException {
    String url = resolveUrl(type, repoId, revision, pathInRepo);
    for (int hop = 0; hop <= MAX_SAME_HOST_REDIRECTS; hop++) {
      Request req = http.request(url).head().header("Accept-Encoding", "identity").build();
      try (Response resp = http.execute(headClient, req, retry)) {
        if (resp.isRedirect()) {
          String location = resp.header("Location");
          HttpUrl target = location == null ? null : resp.request().url().resolve(location);
          if (target == null) {
            throw new HubTransferException(
                "The Hub answered " + resp.code() + " without a usable Location for " + what + ".");
          }
          if (HubHttp.sameOrigin(target, resp.request().url())) {
            url = target.toString();
            continue;
          }
          if (resp.request().url().isHttps() && !target.isHttps()) {
            throw new HubTransferException(
                "Refusing a redirect from https to http for " + what + ".");
          }
          return metadata(resp, what, target.toString(), true);
        }
        if (resp.code() == 404 && "EntryNotFound".equals(resp.header("X-Error-Code"))) {
          String commit = resp.header("X-Repo-Commit");
          if (commit != null && HubCache.COMMIT.matcher(commit).matches()) {
            Path repoDir = cache.repoDir(type, repoId);
            cache.markNoExist(repoDir, commit, pathInRepo);
            cache.writeRef(repoDir, revision, commit);
          }
        }
        http.check(resp, what);
        return metadata(resp, what, url, false);
      }
    }
    throw new HubTransferException("Too many redirects on the Hub for " + what + ".");
  }

  private static Metadata metadata(Response resp, String what, String downloadUrl, boolean redirect)
      throws HubTransferException {
    String commit = resp.header("X-Repo-Commit");
    String etag = resp.header("X-Linked-Etag");
    if (etag == null) {
      etag = resp.header("ETag");
    }
    String size = resp.header("X-Linked-Size");
    if (size == null && !redirect) {
      // the Content-Length of a redirect is its own body, not the file (huggingface_hub#4699)
      size = resp.header("Content-Length");
    }
    if (commit == null || etag == null || size == null) {
      throw new HubTransferException(
          "The server does not look like a Hugging Face Hub: its answer for "
              + what
              + " lacks "
              + (commit == null ? "X-Repo-Commit" : etag == null ? "an ETag" : "a size")
              + ".");
    }
    etag = normalizeEtag(etag);
    // both name files in the cache: a hostile server must not steer them outside it
    if (!etag.matches("[0-9A-Za-z_-]{1,128}")) {
      throw new HubTransferException("Unusable ETag '" + etag + "' for " + what + ".");
    }
    if (!HubCache.COMMIT.matcher(commit.strip()).matches()) {
      throw new HubTransferException("Unusable X-Repo-Commit '" + commit + "' for " + what + ".");
    }
    try {
      return new Metadata(commit.strip(), etag, Long.parseLong(size.strip()), downloadUrl);
    } catch (NumberFormatException e) {
      throw new HubTransferException("Unusable size '" + size + "' for " + what + ".");
    }
  }

  /** Drops a weak-validator prefix and the quotes: {@code W/"abc"} becomes {@code abc}. */
  static String normalizeEtag(String etag) {
    String e = etag.strip();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    if (e.startsWith("\"")) {
      e = e.substring(1);
    }
    if (e.endsWith("\"")) {
      e = e.substring(0, e.length() - 1);
    }
    return e;
  }

  /**
   * GETs the content into {@code blobs/<etag>.incomplete} (appending to what an earlier run left),
   * checks size and hash, then renames it to the blob. A 200 to a Range request means the server
   * ignored the range: start over instead of appending (huggingface_hub PR #3778).
   */
  void fetchBlob(Metadata meta, Path incomplete, Path blob, String what) throws IOException {
    try {
      transfer(meta, incomplete, blob, what);
    } catch (IOException | RuntimeException e) {
      // keep a partial file for the next run to resume, but not an empty one
      if (Files.isRegularFile(incomplete) && Files.size(incomplete) == 0) {
        Files.delete(incomplete);
      }
      throw e;
    }
  }

  private void transfer(Metadata meta, Path incomplete, Path blob, String what) throws IOException {
    long started = System.nanoTime();
    ContentHasher hasher = ContentHasher.forEtag(meta.etag(), meta.size());
    try (FileChannel out =
        FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long have = out.size();
      if (have > meta.size()) {
        out.truncate(0);
        have = 0;
      }
      if (have > 0) {
        LOG.info("Resuming {} at byte {} of {}", what, have, meta.size());
        hasher.absorb(incomplete, have);
      }
      int failures = 0;
      while (have < meta.size()) {
        Request.Builder rb =
            http.request(meta.downloadUrl()).get().header("Accept-Encoding", "identity");
        if (have > 0) {
          rb.header("Range", "bytes=" + have + "-");
        }
        long before = have;
        try (Response resp = http.execute(http.following, rb.build(), true)) {
          if (resp.code() == 416 && have > 0) {
            // our partial file does not fit the server's file: start over
            out.truncate(0);
            hasher.reset();
            have = 0;
            continue;
          }
          if (!resp.isSuccessful() && !http.isEndpoint(resp.request().url())) {
            // a storage host's refusal (expired signature, missing object) is not the user's to fix
            throw new HubTransferException(
                "The storage host "
                    + resp.request().url().host()
                    + " answered HTTP "
                    + resp.code()
                    + " for "
                    + what
                    + "; retry the download.",
                resp.code(),
                null);
          }
          http.check(resp, what);
          if (have > 0 && !startsAt(resp, have)) {
            out.truncate(0);
            hasher.reset();
            have = 0;
          }
          out.position(have);
          try (InputStream in = resp.body().byteStream()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
              if (have + n > meta.size()) {
                throw new HubTransferException(
                    "Consistency check failed: "
                        + what
                        + " is longer than the "
                        + meta.size()
                        + " bytes the Hub announced.");
              }
              ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
              while (bb.hasRemaining()) {
                out.write(bb);
              }
              hasher.update(buf, n);
              have += n;
            }
          }
          if (have < meta.size()) {
            throw new IOException(
                "connection closed after " + have + " of " + meta.size() + " bytes");
          }
        } catch (HubTransferException | HubAccessException e) {
          throw e;
        } catch (IOException e) {
          failures = have > before ? 1 : failures + 1; // progress resets the counter, as in Python
          if (failures > MAX_RESUMES) {
            throw new HubTransferException(
                "Download of " + what + " kept failing at byte " + have + ": " + e.getMessage(),
                0,
                e);
          }
          LOG.info(
              "Download of {} interrupted at byte {} ({}); resuming", what, have, e.getMessage());
          pause(Duration.ofSeconds(1));
        }
      }
      out.force(true);
    }
    Optional<String> mismatch = hasher.mismatch(meta.etag());
    if (mismatch.isPresent()) {
      Files.deleteIfExists(incomplete);
      throw new HubTransferException(
          "Integrity check failed for "
              + what
              + ": expected "
              + mismatch.get()
              + " "
              + meta.etag()
              + " but the downloaded bytes hash differently; nothing was kept, retry the download.");
    }
    HubCache.moveAtomically(incomplete, blob);
    double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    if (meta.size() >= BIG_FILE) {
      LOG.info(
          "Downloaded {}: {} MiB in {} s ({} MiB/s)",
          what,
          meta.size() >> 20,
          String.format("%.1f", seconds),
          String.format("%.0f", meta.size() / 1048576.0 / seconds));
    }
  }

  private static boolean startsAt(Response resp, long offset) {
    if (resp.code() != 206) {
      return false;
    }
    String cr = resp.header("Content-Range");
    if (cr == null) {
      return false;
    }
    Matcher m = CONTENT_RANGE.matcher(cr.strip());
    return m.matches() && Long.parseLong(m.group(1)) == offset;
  }

  private void pause(Duration d) throws IOException {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  /** The cached file for a revision; throws EntryNotFound when the cache records it as absent. */
  private Optional<Path> fromCache(
      RepoType type, String repoId, String revision, String pathInRepo, String what)
      throws IOException {
    Path repoDir = cache.repoDir(type, repoId);
    Optional<String> commit = cache.readRef(repoDir, revision);
    if (commit.isEmpty()) {
      return Optional.empty();
    }
    Path p = cache.pointer(repoDir, commit.get(), pathInRepo);
    if (Files.exists(p)) {
      return Optional.of(p);
    }
    if (cache.isMarkedNoExist(repoDir, commit.get(), pathInRepo)) {
      throw new HubAccessException.EntryNotFound(
          "File not found: " + what + " (the cache records it as absent).");
    }
    return Optional.empty();
  }

  /** Offline ({@code cause} null) or refused by the Hub: the cached copy, else the reason. */
  private Path fromCacheOrThrow(
      RepoType type,
      String repoId,
      String revision,
      String pathInRepo,
      String what,
      HubAccessException cause)
      throws IOException {
    Optional<Path> cached = fromCache(type, repoId, revision, pathInRepo, what);
    if (cached.isPresent()) {
      if (cause != null) {
        LOG.warn("The Hub refused {} ({}); using the cached copy", what, cause.getMessage());
      }
      return cached.get();
    }
    if (cause != null) {
      throw cause;
    }
    throw new HubAccessException.NotCached(
        "Offline mode is on (HF_HUB_OFFLINE) and "
            + what
            + " is not in the cache "
            + cache.root()
            + ".");
  }

  static String describe(RepoType type, String repoId, String revision, String pathInRepo) {
    return "'" + pathInRepo + "' in " + type.id() + " " + repoId + " at revision " + revision;
  }

  /** URL-encodes with no safe characters: {@code refs/pr/1} becomes {@code refs%2Fpr%2F1}. */
  static String encodeSegment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** URL-encodes each path segment, keeping the slashes (Python's {@code quote(path)}). */
  static String encodePath(String path) {
    String[] parts = path.split("/", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(encodeSegment(parts[i]));
    }
    return sb.toString();
  }
}
