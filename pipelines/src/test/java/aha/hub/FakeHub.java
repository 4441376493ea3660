package aha.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face Hub on 127.0.0.1 that follows the real protocol closely enough for a client to be
 * wrong in the same ways it would be wrong against huggingface.co: resolve with X-Repo-Commit /
 * ETag / X-Linked-* headers, LFS files redirected to a second "CDN" server on another port (which,
 * like S3, rejects requests that carry an Authorization header), Range requests, the revision and
 * paginated tree APIs, preupload, the LFS batch API (basic and multipart), the NDJSON commit,
 * X-Error-Code errors and 429 with Retry-After.
 */
final class FakeHub implements AutoCloseable {
  static final String TOKEN = "hf_FakeTokenForTests0123456789abcdefXYZ";
  static final ObjectMapper JSON = new ObjectMapper();

  /** One request as a server saw it. */
  record Hit(String server, String method, String path, String authorization, String range) {}

  static final class Repo {
    final RepoType type;
    final String id;
    volatile boolean gated;
    final Map<String, String> refs = new ConcurrentHashMap<>();
    final Map<String, Map<String, byte[]>> commits = new ConcurrentHashMap<>();

    Repo(RepoType type, String id) {
      this.type = type;
      this.id = id;
    }

    Map<String, byte[]> head() {
      return commits.get(refs.get("main"));
    }
  }

  private final HttpServer hub;
  private final HttpServer cdn;
  private final ExecutorService pool = Executors.newFixedThreadPool(16);
  final List<Hit> hits = new CopyOnWriteArrayList<>();
  final Map<String, Repo> repos = new ConcurrentHashMap<>();
  final Map<String, String> renamed = new ConcurrentHashMap<>(); // "model:old/id" -> "new/id"
  final Map<String, byte[]> lfsStore = new ConcurrentHashMap<>();
  private final FakeHubUploads uploads = new FakeHubUploads(this);

  /** Keyed by array identity (arrays do not override equals/hashCode). */
  private final Map<byte[], String> oidMemo = new ConcurrentHashMap<>();

  volatile String cdnHost = "127.0.0.1";
  volatile int pageSize = 2;
  volatile int lfsThreshold = 1000;
  volatile long multipartChunk = 4096;
  volatile long multipartAbove = 10_000;
  volatile int retryAfterSeconds = 1;
  final AtomicInteger rateLimitNext = new AtomicInteger();

  /** Next CDN GET sends this many bytes then drops the connection (-1: off). */
  final AtomicLong cutNextCdnGetAfter = new AtomicLong(-1);

  volatile boolean corruptCdn;
  volatile boolean ignoreRange;

  /** Resolve does not (re)store LFS objects, so a cleared store means a CDN that lost them. */
  volatile boolean lfsStoreFrozen;

  /** A hostile server's X-Repo-Commit on resolve (null: the real commit). */
  volatile String commitHeaderOverride;

  /**
   * Faults injected into every request of both servers, as probabilities per request (429, 500,
   * drop and malformed are drawn in this order, so they add up; a latency spike is drawn apart).
   * Draws depend on the seed, the request and how often it was asked before, not on timing, so a
   * run is reproducible whatever the client's concurrency.
   *
   * @param rateDrop close the connection without an answer; a CDN download is cut halfway instead
   * @param rateMalformed a 200 whose body is not JSON (API calls), or a download with one byte
   *     flipped (files)
   */
  record Faults(
      double rate429,
      double rate500,
      double rateDrop,
      double rateMalformed,
      double rateSpike,
      long spikeMillis,
      long seed) {}

  volatile Faults faults;
  final Map<String, AtomicLong> faultsInjected = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> askedBefore = new ConcurrentHashMap<>();
  private static final ThreadLocal<String> FAULT = new ThreadLocal<>();

  FakeHub() throws IOException {
    this(0);
  }

  FakeHub(int port) throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    hub = HttpServer.create(new InetSocketAddress(loopback, port), 0);
    cdn = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    hub.createContext("/", ex -> serve("hub", ex));
    cdn.createContext("/", ex -> serve("cdn", ex));
    hub.setExecutor(pool);
    cdn.setExecutor(pool);
    hub.start();
    cdn.start();
  }

  /**
   * Runs the fake Hub by hand (for the interoperability check in docs/hub.md): seeds model {@code
   * org/tiny} and dataset {@code org/tiny-data}, prints the endpoint and the token, and serves
   * until killed. Port: first argument, else any free one. Second argument: the host name the CDN
   * redirects use (default 127.0.0.1); huggingface_hub 1.33 compares redirect hosts without their
   * port, so to make it treat the CDN as another host, pass {@code localhost}.
   */
  public static void main(String[] args) throws Exception {
    FakeHub hub = new FakeHub(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    if (args.length > 1) {
      hub.cdnHost = args[1];
    }
    HubTestSupport.seedModel(hub);
    hub.createRepo(RepoType.DATASET, "org/tiny-data");
    hub.commit(
        RepoType.DATASET,
        "org/tiny-data",
        Map.of(
            "data/train-00000-of-00001.parquet", HubTestSupport.randomBytes(3000, 11),
            "data/test-00000-of-00001.parquet", HubTestSupport.randomBytes(1500, 12),
            "README.md",
                RepoCard.datasetCard(
                        "org/tiny-data",
                        List.of(
                            "data/train-00000-of-00001.parquet",
                            "data/test-00000-of-00001.parquet"))
                    .getBytes(StandardCharsets.UTF_8)));
    System.out.println("endpoint " + hub.endpoint());
    System.out.println("token " + TOKEN);
    Thread.currentThread().join();
  }

  String endpoint() {
    return "http://127.0.0.1:" + hub.getAddress().getPort();
  }

  String cdnBase() {
    return "http://" + cdnHost + ":" + cdn.getAddress().getPort();
  }

  @Override
  public void close() {
    hub.stop(0);
    cdn.stop(0);
    pool.shutdownNow();
  }

  // ---------------------------------------------------------------- test-side helpers

  Repo createRepo(RepoType type, String id) {
    Repo r = new Repo(type, id);
    Map<String, byte[]> files = new TreeMap<>();
    files.put(
        ".gitattributes",
        "*.parquet filter=lfs diff=lfs merge=lfs -text\n*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
            .getBytes(StandardCharsets.UTF_8));
    String c = commitId(null, "initial commit", files);
    r.commits.put(c, files);
    r.refs.put("main", c);
    repos.put(key(type, id), r);
    return r;
  }

  /** Commits {@code changes} on main and returns the new commit id. */
  String commit(RepoType type, String id, Map<String, byte[]> changes) {
    Repo r = repos.get(key(type, id));
    Map<String, byte[]> files = new TreeMap<>(r.head());
    files.putAll(changes);
    String c = commitId(r.refs.get("main"), "test commit", files);
    r.commits.put(c, files);
    r.refs.put("main", c);
    return c;
  }

  boolean isLfs(String path, long size) {
    return path.endsWith(".parquet") || path.endsWith(".safetensors") || size >= lfsThreshold;
  }

  List<Hit> hits(String server, String method, String pathPart) {
    return hits.stream()
        .filter(
            h ->
                h.server().equals(server)
                    && h.method().equals(method)
                    && h.path().contains(pathPart))
        .toList();
  }

  static String key(RepoType type, String id) {
    return type.id() + ":" + id;
  }

  // ---------------------------------------------------------------- dispatch

  private static final Pattern API =
      Pattern.compile(
          "^/api/(models|datasets|spaces)/([^/]+/[^/]+)/(revision|tree|preupload|commit)/([^/]+)$");
  private static final Pattern RESOLVE =
      Pattern.compile("^/(datasets/|spaces/)?([^/]+/[^/]+)/resolve/([^/]+)/(.+)$");
  private static final Pattern BATCH =
      Pattern.compile("^/(datasets/|spaces/)?([^/]+/[^/]+)\\.git/info/lfs/objects/batch$");

  private void serve(String server, HttpExchange ex) {
    try {
      String path = ex.getRequestURI().getRawPath();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      hits.add(
          new Hit(
              server, ex.getRequestMethod(), path, auth, ex.getRequestHeaders().getFirst("Range")));
      String fault = drawFault(server, ex);
      FAULT.set(fault);
      if ("429".equals(fault)) {
        ex.getResponseHeaders().set("Retry-After", "0");
        send(ex, 429, "{\"error\":\"You have been rate-limited\"}");
        return;
      }
      if ("500".equals(fault)) {
        send(ex, 500, "{\"error\":\"Internal Error - We're working hard to fix this as soon as possible!\"}");
        return;
      }
      boolean download = server.equals("cdn") && ex.getRequestMethod().equals("GET");
      if ("drop".equals(fault) && !download) {
        return; // closing an exchange that sent no headers closes the connection
      }
      if ("malformed".equals(fault) && !download && !RESOLVE.matcher(path).matches()) {
        ex.getRequestBody().readAllBytes();
        send(ex, 200, "<html><body>502 Bad Gateway</body></html>");
        return;
      }
      if (server.equals("cdn")) {
        serveCdn(ex, path, auth);
        return;
      }
      if (rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        ex.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
        send(ex, 429, "{\"error\":\"You have been rate-limited\"}");
        return;
      }
      boolean authed = ("Bearer " + TOKEN).equals(auth);
      if (auth != null && !authed) {
        ex.getResponseHeaders()
            .set("X-Error-Message", "Invalid credentials in Authorization header");
        send(ex, 401, "{\"error\":\"Invalid credentials in Authorization header\"}");
        return;
      }
      Matcher m;
      if (path.equals("/api/repos/create") && ex.getRequestMethod().equals("POST")) {
        uploads.createRepoEndpoint(ex, authed);
      } else if ((m = API.matcher(path)).matches()) {
        RepoType type = RepoType.parse(m.group(1));
        String rev = URLDecoder.decode(m.group(4), StandardCharsets.UTF_8);
        Repo repo = repoOrError(ex, type, m.group(2), authed);
        if (repo == null) {
          return;
        }
        switch (m.group(3)) {
          case "revision" -> revisionInfo(ex, repo, rev);
          case "tree" -> tree(ex, repo, rev);
          case "preupload" -> uploads.preupload(ex, repo, authed);
          default -> uploads.commitEndpoint(ex, repo, rev, authed);
        }
      } else if ((m = BATCH.matcher(path)).matches()) {
        Repo repo = repoOrError(ex, typeOfPrefix(m.group(1)), m.group(2), authed);
        if (repo != null) {
          uploads.lfsBatch(ex, authed);
        }
      } else if (path.startsWith("/lfs-complete/")) {
        uploads.lfsComplete(ex, path.substring("/lfs-complete/".length()));
      } else if (path.startsWith("/lfs-verify/")) {
        uploads.lfsVerify(ex, path.substring("/lfs-verify/".length()), authed);
      } else if ((m = RESOLVE.matcher(path)).matches()) {
        resolve(
            ex,
            typeOfPrefix(m.group(1)),
            m.group(2),
            URLDecoder.decode(m.group(3), StandardCharsets.UTF_8),
            URLDecoder.decode(m.group(4), StandardCharsets.UTF_8),
            authed);
      } else {
        send(ex, 404, "{\"error\":\"Sorry, we can't find the page you are looking for.\"}");
      }
    } catch (Exception e) {
      try {
        send(ex, 500, "{\"error\":\"" + e + "\"}");
      } catch (IOException ignored) {
        // connection already gone
      }
    } finally {
      FAULT.remove();
      ex.close();
    }
  }

  /** This request's fault (null: none), after its latency spike if it drew one. */
  private String drawFault(String server, HttpExchange ex) throws InterruptedException {
    Faults f = faults;
    if (f == null) {
      return null;
    }
    String request = server + " " + ex.getRequestMethod() + " " + ex.getRequestURI();
    int asked = askedBefore.computeIfAbsent(request, k -> new AtomicInteger()).incrementAndGet();
    java.util.SplittableRandom r =
        new java.util.SplittableRandom(f.seed() ^ request.hashCode() * 0x9E3779B97F4A7C15L ^ asked);
    if (r.nextDouble() < f.rateSpike()) {
      faultsInjected.computeIfAbsent("spike", k -> new AtomicLong()).incrementAndGet();
      Thread.sleep(f.spikeMillis());
    }
    double u = r.nextDouble();
    String fault =
        (u -= f.rate429()) < 0
            ? "429"
            : (u -= f.rate500()) < 0
                ? "500"
                : (u -= f.rateDrop()) < 0 ? "drop" : (u -= f.rateMalformed()) < 0 ? "malformed" : null;
    if (fault != null) {
      faultsInjected.computeIfAbsent(fault, k -> new AtomicLong()).incrementAndGet();
    }
    return fault;
  }

  private static RepoType typeOfPrefix(String prefix) {
    return prefix == null
        ? RepoType.MODEL
        : prefix.startsWith("datasets") ? RepoType.DATASET : RepoType.SPACE;
  }

  /** The repo, or null after answering 401 RepoNotFound / GatedRepo as the Hub does. */
  private Repo repoOrError(HttpExchange ex, RepoType type, String id, boolean authed)
      throws IOException {
    Repo repo = repos.get(key(type, id));
    if (repo == null) {
      ex.getResponseHeaders().set("X-Error-Code", "RepoNotFound");
      ex.getResponseHeaders().set("X-Error-Message", "Repository not found");
      send(ex, 401, "{\"error\":\"Repository not found\"}");
      return null;
    }
    if (repo.gated && !authed) {
      ex.getResponseHeaders().set("X-Error-Code", "GatedRepo");
      ex.getResponseHeaders()
          .set(
              "X-Error-Message",
              "Access to model "
                  + id
                  + " is restricted. You must have access to it and be authenticated to access it. Please log in.");
      send(ex, 401, "");
      return null;
    }
    return repo;
  }

  /** Commit id for a branch, tag or commit; null after answering 404 RevisionNotFound. */
  String commitOf(HttpExchange ex, Repo repo, String rev) throws IOException {
    String c =
        repo.refs.containsKey(rev)
            ? repo.refs.get(rev)
            : repo.commits.containsKey(rev) ? rev : null;
    if (c == null) {
      ex.getResponseHeaders().set("X-Error-Code", "RevisionNotFound");
      ex.getResponseHeaders().set("X-Error-Message", "Invalid rev id: " + rev);
      send(ex, 404, "{\"error\":\"Invalid rev id: " + rev + "\"}");
    }
    return c;
  }

  // ---------------------------------------------------------------- download side

  private void resolve(
      HttpExchange ex, RepoType type, String id, String rev, String file, boolean authed)
      throws IOException {
    String moved = renamed.get(key(type, id));
    if (moved != null) {
      // a renamed repo: relative redirect on the same host, to be followed with the token
      ex.getResponseHeaders()
          .set(
              "Location",
              "/"
                  + type.urlPrefix()
                  + moved
                  + "/resolve/"
                  + FileDownloader.encodeSegment(rev)
                  + "/"
                  + file);
      send(ex, 307, "");
      return;
    }
    Repo repo = repoOrError(ex, type, id, authed);
    if (repo == null) {
      return;
    }
    String commit = commitOf(ex, repo, rev);
    if (commit == null) {
      return;
    }
    byte[] bytes = repo.commits.get(commit).get(file);
    ex.getResponseHeaders()
        .set("X-Repo-Commit", commitHeaderOverride != null ? commitHeaderOverride : commit);
    if (bytes == null) {
      ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
      ex.getResponseHeaders().set("X-Error-Message", "Entry not found");
      send(ex, 404, "");
      return;
    }
    if (isLfs(file, bytes.length)) {
      String sha = lfsOid(bytes);
      if (!lfsStoreFrozen) {
        lfsStore.putIfAbsent(sha, bytes);
      }
      String pointer =
          "version https://git-lfs.github.com/spec/v1\noid sha256:"
              + sha
              + "\nsize "
              + bytes.length
              + "\n";
      ex.getResponseHeaders()
          .set("ETag", "\"" + gitSha1(pointer.getBytes(StandardCharsets.UTF_8)) + "\"");
      ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
      ex.getResponseHeaders().set("X-Linked-Size", String.valueOf(bytes.length));
      String location = cdnBase() + "/blobs/" + sha + "?X-Amz-Signature=fake";
      ex.getResponseHeaders().set("Location", location);
      // the body (and Content-Length) of a redirect is not the file
      send(ex, 302, "Found. Redirecting to " + location);
      return;
    }
    ex.getResponseHeaders().set("ETag", "\"" + gitSha1(bytes) + "\"");
    sendRange(ex, bytes, false);
  }

  private void revisionInfo(HttpExchange ex, Repo repo, String rev) throws IOException {
    String commit = commitOf(ex, repo, rev);
    if (commit == null) {
      return;
    }
    ObjectNode info =
        JSON.createObjectNode().put("id", repo.id).put("sha", commit).put("private", false);
    if (repo.gated) {
      info.put("gated", "auto");
    } else {
      info.put("gated", false);
    }
    ArrayNode siblings = info.putArray("siblings");
    repo.commits.get(commit).keySet().forEach(p -> siblings.addObject().put("rfilename", p));
    send(ex, 200, JSON.writeValueAsString(info));
  }

  private void tree(HttpExchange ex, Repo repo, String rev) throws IOException {
    String commit = commitOf(ex, repo, rev);
    if (commit == null) {
      return;
    }
    Map<String, byte[]> files = repo.commits.get(commit);
    List<ObjectNode> items = new ArrayList<>();
    TreeSet<String> dirs = new TreeSet<>();
    for (String p : files.keySet()) {
      for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
        dirs.add(p.substring(0, i));
      }
    }
    for (String d : dirs) {
      items.add(
          JSON.createObjectNode()
              .put("type", "directory")
              .put("path", d)
              .put("oid", gitSha1(d.getBytes(StandardCharsets.UTF_8))));
    }
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      ObjectNode item = JSON.createObjectNode().put("type", "file").put("path", e.getKey());
      byte[] b = e.getValue();
      if (isLfs(e.getKey(), b.length)) {
        String pointer =
            "version https://git-lfs.github.com/spec/v1\noid sha256:"
                + lfsOid(b)
                + "\nsize "
                + b.length
                + "\n";
        item.put("size", b.length).put("oid", gitSha1(pointer.getBytes(StandardCharsets.UTF_8)));
        item.putObject("lfs")
            .put("oid", lfsOid(b))
            .put("size", b.length)
            .put("pointerSize", pointer.length());
      } else {
        item.put("size", b.length).put("oid", gitSha1(b));
      }
      items.add(item);
    }
    Map<String, String> q = query(ex);
    int from = Integer.parseInt(q.getOrDefault("cursor", "0"));
    int to = Math.min(items.size(), from + pageSize);
    ArrayNode page = JSON.createArrayNode();
    items.subList(from, to).forEach(page::add);
    if (to < items.size()) {
      String base =
          endpoint()
              + ex.getRequestURI().getRawPath()
              + "?recursive="
              + q.getOrDefault("recursive", "false")
              + "&expand="
              + q.getOrDefault("expand", "false")
              + "&cursor="
              + to;
      ex.getResponseHeaders().set("Link", "<" + base + ">; rel=\"next\"");
    }
    send(ex, 200, JSON.writeValueAsString(page));
  }

  private void serveCdn(HttpExchange ex, String path, String auth) throws IOException {
    if (auth != null) {
      // S3 refuses a second authorization mechanism on a pre-signed URL
      send(
          ex,
          400,
          "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>");
      return;
    }
    if (uploads.serveCdnUpload(ex, path)) {
      return;
    }
    if ((ex.getRequestMethod().equals("GET") || ex.getRequestMethod().equals("HEAD"))
        && path.startsWith("/blobs/")) {
      byte[] bytes = lfsStore.get(path.substring("/blobs/".length()));
      if (bytes == null) {
        send(ex, 404, "NoSuchKey");
        return;
      }
      if (corruptCdn || "malformed".equals(FAULT.get())) {
        bytes = bytes.clone();
        bytes[bytes.length / 2] ^= 0x5A;
      }
      sendRange(ex, bytes, true);
      return;
    }
    send(ex, 404, "NoSuchKey");
  }

  /**
   * 200 or 206 for {@code Range: bytes=N-}, 416 past the end; may cut the connection (CDN only).
   */
  private void sendRange(HttpExchange ex, byte[] bytes, boolean mayCut) throws IOException {
    boolean head = ex.getRequestMethod().equals("HEAD");
    String range = ex.getRequestHeaders().getFirst("Range");
    int from = 0;
    int status = 200;
    if (range != null && !ignoreRange && !head) {
      Matcher rm = Pattern.compile("bytes=(\\d+)-").matcher(range);
      if (rm.matches()) {
        from = Integer.parseInt(rm.group(1));
        if (from >= bytes.length) {
          ex.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
          send(ex, 416, "");
          return;
        }
        status = 206;
        ex.getResponseHeaders()
            .set("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
      }
    }
    ex.getResponseHeaders().set("Accept-Ranges", "bytes");
    byte[] body = Arrays.copyOfRange(bytes, from, bytes.length);
    if (head) {
      ex.getResponseHeaders().set("Content-Length", String.valueOf(bytes.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    long cut = mayCut ? cutNextCdnGetAfter.getAndSet(-1) : -1;
    if (mayCut && "drop".equals(FAULT.get())) {
      cut = body.length / 2; // an injected drop: half the body, then the connection goes
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    OutputStream out = ex.getResponseBody();
    if (cut >= 0 && cut < body.length) {
      out.write(body, 0, (int) cut);
      out.flush();
      throw new IOException("fake CDN dropped the connection"); // close() then kills the socket
    }
    out.write(body);
  }

  // ---------------------------------------------------------------- plumbing

  static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Length", String.valueOf(b.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    if (!ex.getResponseHeaders().containsKey("Content-Type")) {
      ex.getResponseHeaders()
          .set(
              "Content-Type",
              body.startsWith("{") || body.startsWith("[") ? "application/json" : "text/plain");
    }
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int i = kv.indexOf('=');
        q.put(
            i < 0 ? kv : kv.substring(0, i),
            i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  static String commitId(String parent, String summary, Map<String, byte[]> files) {
    StringBuilder sb =
        new StringBuilder(String.valueOf(parent))
            .append('\n')
            .append(summary)
            .append('\n')
            .append(System.nanoTime());
    files.forEach((p, b) -> sb.append(p).append(' ').append(gitSha1(b)).append('\n'));
    return gitSha1(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** sha256 of a stored file, computed once per content object (big files are hashed often). */
  String lfsOid(byte[] b) {
    return oidMemo.computeIfAbsent(b, FakeHub::sha256);
  }

  static String sha256(byte[] b) {
    return hash("SHA-256", b);
  }

  static String gitSha1(byte[] b) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-1");
      d.update(("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(d.digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hash(String alg, byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
