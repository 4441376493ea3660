package aha.hub;

import aha.cli.Versions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the Hub protocol: headers, the token rule, retries with back-off, pagination and
 * the mapping of error responses to exceptions.
 *
 * <p>Token rule: the {@code authorization} header is only ever added to URLs whose scheme, host and
 * port equal the configured endpoint's. Pre-signed CDN and storage URLs (another host, or the same
 * host on another port) never see the token, and neither do logs: requests are logged with {@code
 * <TOKEN>} in its place, and server texts quoted in errors are masked.
 */
final class HubHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final Logger LOG = LoggerFactory.getLogger(HubHttp.class);
  private static final String USER_AGENT =
      "aha/" + Versions.AHA + "; java/" + System.getProperty("java.specification.version");

  /** Waits of the Python client's http_backoff: 1, 2, 4, 8, 8 seconds. */
  private static final int[] BACKOFF_S = {1, 2, 4, 8, 8};

  private static final Pattern RATE_LIMIT =
      Pattern.compile("r\\s*=\\s*(\\d+)\\s*;\\s*t\\s*=\\s*(\\d+)");
  private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  /** Pause between retries; tests pass one that records the waits. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final HubSettings settings;
  private final HttpUrl endpoint;
  private final Sleeper sleeper;

  /** No automatic redirects: HEAD redirects are followed by hand (see FileFetcher). */
  final OkHttpClient manual;

  /** For file bodies: OkHttp follows redirects and drops authorization across hosts itself. */
  final OkHttpClient following;

  HubHttp(HubSettings settings, Sleeper sleeper) {
    this.settings = settings;
    this.sleeper = sleeper;
    this.endpoint = HttpUrl.get(settings.endpoint() + "/");
    this.manual =
        new OkHttpClient.Builder()
            .followRedirects(false)
            .followSslRedirects(false)
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(settings.downloadTimeout())
            .writeTimeout(Duration.ofSeconds(60))
            .build();
    this.following = manual.newBuilder().followRedirects(true).followSslRedirects(false).build();
  }

  HubSettings settings() {
    return settings;
  }

  /** {@code endpoint + "/" + path}; path must not start with a slash. */
  String url(String path) {
    return settings.endpoint() + "/" + path;
  }

  /** A request with the user agent, a trace id and, for the endpoint's own origin, the token. */
  Request.Builder request(String url) {
    Request.Builder b =
        new Request.Builder()
            .url(url)
            .header("user-agent", USER_AGENT)
            .header("X-Amzn-Trace-Id", UUID.randomUUID().toString());
    if (settings.hasToken() && isEndpoint(HttpUrl.get(url))) {
      b.header("authorization", "Bearer " + settings.token());
    }
    return b;
  }

  /** True for URLs of the configured endpoint (same scheme, host and port). */
  boolean isEndpoint(HttpUrl url) {
    return sameOrigin(url, endpoint);
  }

  /** True when both URLs have the same scheme, host and port (port counts: issue hub#4942). */
  static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme())
        && a.host().equalsIgnoreCase(b.host())
        && a.port() == b.port();
  }

  /**
   * Executes a call, retrying on 408/429/5xx and network errors when {@code retry} is set. The last
   * response is returned whatever its status; the caller checks it with {@link #check}.
   */
  Response execute(OkHttpClient client, Request req, boolean retry) throws IOException {
    if (settings.offline()) {
      throw new HubAccessException.NotCached(
          "Offline mode is on (HF_HUB_OFFLINE) and "
              + req.method()
              + " "
              + req.url().encodedPath()
              + " needs the network.");
    }
    for (int attempt = 0; ; attempt++) {
      LOG.debug(
          "{} {}{}",
          req.method(),
          loggable(req.url()),
          req.header("authorization") != null ? " (authorization: <TOKEN>)" : "");
      Response resp;
      try {
        resp = client.newCall(req).execute();
      } catch (InterruptedIOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw e;
        }
        if (!retry || attempt >= BACKOFF_S.length) {
          throw unreachable(req, retry, attempt, e);
        }
        pause(Duration.ofSeconds(BACKOFF_S[attempt]), req, "timeout");
        continue;
      } catch (IOException e) {
        if (!retry || attempt >= BACKOFF_S.length) {
          throw unreachable(req, retry, attempt, e);
        }
        pause(Duration.ofSeconds(BACKOFF_S[attempt]), req, e.getClass().getSimpleName());
        continue;
      }
      int code = resp.code();
      boolean retriable =
          code == 408 || code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
      if (!retry || !retriable || attempt >= BACKOFF_S.length) {
        return resp;
      }
      Duration wait =
          code == 429 ? rateLimitWait(resp, attempt) : Duration.ofSeconds(BACKOFF_S[attempt]);
      resp.close();
      pause(wait, req, "HTTP " + code);
    }
  }

  /**
   * The error for a call that got no answer: one sentence naming the call and the attempts; for a
   * call that is not safe to repeat (a commit) it says the outcome is unknown.
   */
  private HubTransferException unreachable(Request req, boolean retry, int attempt, IOException e) {
    String call = req.method() + " " + loggable(req.url()).replaceFirst("\\?.*$", "");
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    boolean safe = retry || req.method().equals("GET") || req.method().equals("HEAD");
    String message =
        safe
            ? "No answer from the Hub to " + call + " after " + (attempt + 1) + " attempt(s) (" + why + ")."
            : "The connection to the Hub was lost during "
                + call
                + " ("
                + why
                + "); it was not repeated because it may have taken effect: check the repository, then retry.";
    return new HubTransferException(message, 0, e);
  }

  /**
   * The URL for a log line: pre-signed storage URLs carry credentials in their query, so only the
   * endpoint's own URLs are logged with theirs.
   */
  String loggable(HttpUrl url) {
    if (url.query() == null || isEndpoint(url)) {
      return url.toString();
    }
    return url.newBuilder().query(null).build() + "?<signed>";
  }

  /** How long a 429 asks us to wait: RateLimit {@code r=0;t=N} or Retry-After, plus one second. */
  static Duration rateLimitWait(Response resp, int attempt) {
    String rl = resp.header("RateLimit");
    if (rl != null) {
      Matcher m = RATE_LIMIT.matcher(rl);
      if (m.find() && Long.parseLong(m.group(1)) == 0) {
        return Duration.ofSeconds(Long.parseLong(m.group(2)) + 1);
      }
    }
    String ra = resp.header("Retry-After");
    if (ra != null && ra.strip().matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(ra.strip()) + 1);
    }
    return Duration.ofSeconds(BACKOFF_S[Math.min(attempt, BACKOFF_S.length - 1)]);
  }

  private void pause(Duration wait, Request req, String why) throws IOException {
    LOG.info(
        "Hub busy ({}) on {} {}; retrying in {} s",
        why,
        req.method(),
        req.url().encodedPath(),
        wait.toSeconds());
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while backing off");
    }
  }

  /** A successful answer whose body is not the JSON the protocol promises (a proxy's page, a cut body). */
  static final class MalformedBody extends HubTransferException {
    MalformedBody(String message, Throwable cause) {
      super(message, 0, cause);
    }
  }

  /** Attempts at a call whose successful answers keep arriving malformed. */
  static final int MALFORMED_ATTEMPTS = 3;

  /** The JSON body of a successful answer; a body that is not JSON is a {@link MalformedBody}. */
  static JsonNode readJson(Response resp, String what) throws IOException {
    String text = resp.body().string();
    try {
      return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new MalformedBody(
          "The Hub answered "
              + resp.request().method()
              + " "
              + resp.request().url().encodedPath()
              + " for "
              + what
              + " with a body that is not JSON ("
              + e.getOriginalMessage()
              + ").",
          e);
    }
  }

  /** GET a JSON document from the Hub, mapping errors for {@code what}. */
  JsonNode getJson(String url, String what, boolean retry) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try (Response resp = execute(manual, request(url).get().build(), retry)) {
        check(resp, what);
        return readJson(resp, what);
      } catch (MalformedBody e) {
        if (!retry || attempt >= MALFORMED_ATTEMPTS) throw e;
        LOG.info("{}; asking again", e.getMessage());
      }
    }
  }

  /** POST JSON and read the JSON answer; {@code retry} only for calls that are safe to repeat. */
  JsonNode postJson(String url, Object body, String what, boolean retry) throws IOException {
    RequestBody rb = RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE);
    for (int attempt = 1; ; attempt++) {
      try (Response resp = execute(manual, request(url).post(rb).build(), retry)) {
        check(resp, what);
        return readJson(resp, what);
      } catch (MalformedBody e) {
        if (!retry || attempt >= MALFORMED_ATTEMPTS) throw e;
        LOG.info("{}; asking again", e.getMessage());
      }
    }
  }

  /** GET every page of a paginated JSON array, following {@code Link: <...>; rel="next"}. */
  List<JsonNode> getAllPages(String url, String what) throws IOException {
    List<JsonNode> items = new ArrayList<>();
    String next = url;
    int malformed = 0;
    while (next != null) {
      try (Response resp = execute(manual, request(next).get().build(), true)) {
        check(resp, what);
        JsonNode page;
        try {
          page = readJson(resp, what);
        } catch (MalformedBody e) {
          if (++malformed >= MALFORMED_ATTEMPTS) throw e;
          LOG.info("{}; asking again", e.getMessage());
          continue; // the same page again
        }
        if (!page.isArray()) {
          throw new HubTransferException(
              "Expected a JSON array from "
                  + resp.request().url().encodedPath()
                  + " for "
                  + what
                  + ".");
        }
        page.forEach(items::add);
        next = nextLink(resp.header("Link"), resp.request().url());
      }
    }
    return items;
  }

  /** The {@code rel="next"} target of a Link header, resolved against the request URL. */
  static String nextLink(String link, HttpUrl base) {
    if (link == null) {
      return null;
    }
    Matcher m = LINK_NEXT.matcher(link);
    if (!m.find()) {
      return null;
    }
    HttpUrl next = base.resolve(m.group(1));
    return next == null ? null : next.toString();
  }

  /**
   * Throws the exception that matches a failed response, the way {@code hf_raise_for_status} reads
   * {@code X-Error-Code} first and the status second. {@code what} names the thing asked for
   * ("dataset org/name at revision main") so the message is one clear sentence.
   */
  void check(Response resp, String what) throws IOException {
    if (resp.isSuccessful()) {
      return;
    }
    int code = resp.code();
    String errorCode = resp.header("X-Error-Code");
    String serverText = mask(serverMessage(resp));
    String said = serverText.isEmpty() ? "" : " (server said: " + serverText + ")";
    String requestId = resp.header("X-Request-Id");
    String rid = requestId == null ? "" : " [request id " + requestId + "]";
    if ("RevisionNotFound".equals(errorCode)) {
      throw new HubAccessException.RevisionNotFound(
          "Revision not found for " + what + " on " + settings.endpoint() + said + ".");
    }
    if ("EntryNotFound".equals(errorCode)) {
      throw new HubAccessException.EntryNotFound(
          "File not found: " + what + " on " + settings.endpoint() + said + ".");
    }
    if ("GatedRepo".equals(errorCode)) {
      throw new HubAccessException.Gated(
          "Access to "
              + what
              + " is restricted: it is a gated repository, so accept its terms on its Hub page and set HF_TOKEN to a token of that account"
              + said
              + ".");
    }
    if ("Access to this resource is disabled.".equals(resp.header("X-Error-Message"))) {
      throw new HubAccessException.Denied(
          "The repository of " + what + " is disabled on " + settings.endpoint() + ".");
    }
    if (code == 401 && serverText.contains("Invalid credentials in Authorization header")) {
      throw new HubAccessException.Denied(
          "The Hub rejected the token (HF_TOKEN or the token file) while fetching "
              + what
              + ": it is invalid or expired.");
    }
    if ("RepoNotFound".equals(errorCode) || code == 401) {
      throw new HubAccessException.RepoNotFound(
          "Repository not found for "
              + what
              + " on "
              + settings.endpoint()
              + ": check the repo id and --repo-type, and if it is private set HF_TOKEN to a token with access"
              + said
              + ".");
    }
    if (code == 403) {
      throw new HubAccessException.Denied(
          "Forbidden: the token may not "
              + (resp.request().method().equals("GET") ? "read " : "write ")
              + what
              + said
              + ".");
    }
    if (code == 404) {
      throw new HubAccessException.EntryNotFound(
          "Not found: " + what + " on " + settings.endpoint() + said + ".");
    }
    if (code == 429) {
      throw new HubTransferException(
          "The Hub kept rate-limiting (HTTP 429) requests for "
              + what
              + " after retries"
              + said
              + rid
              + ".",
          code,
          null);
    }
    throw new HubTransferException(
        "HTTP "
            + code
            + " from "
            + resp.request().method()
            + " "
            + resp.request().url().encodedPath()
            + " for "
            + what
            + said
            + rid
            + ".",
        code,
        null);
  }

  /**
   * The server's explanation: X-Error-Message, else {@code error} of a JSON body, else the body
   * start.
   */
  private static String serverMessage(Response resp) {
    String header = resp.header("X-Error-Message");
    if (header != null && !header.isBlank()) {
      return header.strip();
    }
    try {
      String text = resp.peekBody(4096).string().strip();
      if (text.startsWith("{")) {
        JsonNode node = JSON.readTree(text);
        JsonNode err = node.get("error");
        if (err != null && err.isTextual()) {
          return err.asText();
        }
        if (err != null && err.isArray()) {
          List<String> parts = new ArrayList<>();
          err.forEach(e -> parts.add(e.asText()));
          return String.join("; ", parts);
        }
      }
      return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Replaces the token (if the server echoed it) in any text that may reach a log or message. */
  String mask(String text) {
    if (text == null || !settings.hasToken()) {
      return text == null ? "" : text;
    }
    return text.replace(settings.token(), "<TOKEN>");
  }
}
