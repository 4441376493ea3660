package aha.hub;

import aha.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where and how to talk to the Hub, read from the same environment variables as the Python {@code
 * huggingface_hub} library so that both share one cache and one token.
 *
 * <p>The token is never part of {@link #toString()}, so a settings object can be logged.
 *
 * @param endpoint base URL without trailing slash ({@code HF_ENDPOINT})
 * @param cacheDir the hub cache folder ({@code HF_HUB_CACHE}, else {@code $HF_HOME/hub})
 * @param token bearer token or null ({@code HF_TOKEN}, else the token file)
 * @param offline no HTTP at all, answer from the cache only ({@code HF_HUB_OFFLINE})
 * @param etagTimeout timeout of the metadata HEAD ({@code HF_HUB_ETAG_TIMEOUT})
 * @param downloadTimeout read timeout of other calls ({@code HF_HUB_DOWNLOAD_TIMEOUT})
 */
public record HubSettings(
    String endpoint,
    Path cacheDir,
    String token,
    boolean offline,
    Duration etagTimeout,
    Duration downloadTimeout) {

  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

  public HubSettings {
    if (endpoint == null || endpoint.isBlank()) {
      throw new BadInputException(
          "The Hub endpoint is empty: expected a URL such as " + DEFAULT_ENDPOINT + ".");
    }
    endpoint = stripSlashes(endpoint.trim());
    if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
      throw new BadInputException(
          "The Hub endpoint '"
              + endpoint
              + "' is not an http(s) URL: expected e.g. "
              + DEFAULT_ENDPOINT
              + ".");
    }
    cacheDir = cacheDir.toAbsolutePath().normalize();
    token = token == null || token.isBlank() ? null : token.strip();
  }

  /**
   * Stands in for the process environment, which Java cannot change, in tests that run the CLI in
   * the same JVM (so a developer's own HF_TOKEN or token file never leaks into them); null means
   * the real environment.
   */
  static volatile Map<String, String> environmentForTests;

  /** Settings from the process environment. */
  public static HubSettings fromEnv() {
    Map<String, String> env = environmentForTests;
    return fromEnv(env != null ? env : System.getenv());
  }

  /** Settings from the given variables (the process environment in production, a map in tests). */
  public static HubSettings fromEnv(Map<String, String> env) {
    Path home = Path.of(System.getProperty("user.home"));
    Path hfHome;
    if (present(env, "HF_HOME")) {
      hfHome = expand(env.get("HF_HOME"), home);
    } else if (present(env, "XDG_CACHE_HOME")) {
      hfHome = expand(env.get("XDG_CACHE_HOME"), home).resolve("huggingface");
    } else {
      hfHome = home.resolve(".cache").resolve("huggingface");
    }
    Path cache;
    if (present(env, "HF_HUB_CACHE")) {
      cache = expand(env.get("HF_HUB_CACHE"), home);
    } else if (present(env, "HUGGINGFACE_HUB_CACHE")) {
      cache = expand(env.get("HUGGINGFACE_HUB_CACHE"), home);
    } else {
      cache = hfHome.resolve("hub");
    }
    String token = null;
    if (!flag(env, "HF_HUB_DISABLE_IMPLICIT_TOKEN")) {
      if (present(env, "HF_TOKEN")) {
        token = env.get("HF_TOKEN");
      } else if (present(env, "HUGGING_FACE_HUB_TOKEN")) {
        token = env.get("HUGGING_FACE_HUB_TOKEN");
      } else {
        Path tokenFile =
            present(env, "HF_TOKEN_PATH")
                ? expand(env.get("HF_TOKEN_PATH"), home)
                : hfHome.resolve("token");
        token = readTokenFile(tokenFile);
      }
    }
    String endpoint = present(env, "HF_ENDPOINT") ? env.get("HF_ENDPOINT") : DEFAULT_ENDPOINT;
    boolean offline = flag(env, "HF_HUB_OFFLINE") || flag(env, "TRANSFORMERS_OFFLINE");
    return new HubSettings(
        endpoint,
        cache,
        token,
        offline,
        seconds(env, "HF_HUB_ETAG_TIMEOUT", 10),
        seconds(env, "HF_HUB_DOWNLOAD_TIMEOUT", 10));
  }

  public HubSettings withEndpoint(String url) {
    return new HubSettings(url, cacheDir, token, offline, etagTimeout, downloadTimeout);
  }

  public HubSettings withCacheDir(Path dir) {
    return new HubSettings(endpoint, dir, token, offline, etagTimeout, downloadTimeout);
  }

  public HubSettings withToken(String newToken) {
    return new HubSettings(endpoint, cacheDir, newToken, offline, etagTimeout, downloadTimeout);
  }

  public HubSettings withOffline(boolean value) {
    return new HubSettings(endpoint, cacheDir, token, value, etagTimeout, downloadTimeout);
  }

  public boolean hasToken() {
    return token != null;
  }

  @Override
  public String toString() {
    return "HubSettings[endpoint="
        + endpoint
        + ", cacheDir="
        + cacheDir
        + ", token="
        + (token == null ? "<none>" : "<set>")
        + ", offline="
        + offline
        + ", etagTimeout="
        + etagTimeout
        + ", downloadTimeout="
        + downloadTimeout
        + "]";
  }

  private static String readTokenFile(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      // Python strips \r, \n and surrounding spaces; an empty file means "no token"
      String text =
          Files.readString(file, StandardCharsets.UTF_8)
              .replace("\r", "")
              .replace("\n", "")
              .strip();
      return text.isEmpty() ? null : text;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean present(Map<String, String> env, String key) {
    String v = env.get(key);
    return v != null && !v.isEmpty();
  }

  private static boolean flag(Map<String, String> env, String key) {
    String v = env.get(key);
    return v != null && TRUE.contains(v.strip().toUpperCase(Locale.ROOT));
  }

  private static Duration seconds(Map<String, String> env, String key, int dflt) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return Duration.ofSeconds(dflt);
    }
    try {
      int n = Integer.parseInt(v.strip());
      return Duration.ofSeconds(n <= 0 ? dflt : n);
    } catch (NumberFormatException e) {
      throw new BadInputException(
          "Environment variable " + key + "='" + v + "' is not a whole number of seconds.");
    }
  }

  /**
   * Expands a leading {@code ~} and {@code $VAR}/{@code ${VAR}} the way Python's
   * expanduser/expandvars do.
   */
  private static Path expand(String value, Path home) {
    String v = value;
    if (v.equals("~") || v.startsWith("~/")) {
      v = home + v.substring(1);
    }
    StringBuilder out = new StringBuilder();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\$(\\w+)|\\$\\{(\\w+)}").matcher(v);
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String repl = System.getenv(name);
      m.appendReplacement(
          out, java.util.regex.Matcher.quoteReplacement(repl == null ? m.group() : repl));
    }
    m.appendTail(out);
    return Path.of(out.toString());
  }

  private static String stripSlashes(String s) {
    String r = s;
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }
}
