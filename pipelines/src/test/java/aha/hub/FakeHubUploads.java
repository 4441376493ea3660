package aha.hub;

import static aha.hub.FakeHub.JSON;
import static aha.hub.FakeHub.TOKEN;
import static aha.hub.FakeHub.commitId;
import static aha.hub.FakeHub.gitSha1;
import static aha.hub.FakeHub.key;
import static aha.hub.FakeHub.send;
import static aha.hub.FakeHub.sha256;

import aha.hub.FakeHub.Repo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The write side of {@link FakeHub}: repo creation, preupload, the LFS batch API with basic and
 * multipart transfers to the CDN (which checks each object against its sha256 oid), completion,
 * verification and the NDJSON commit.
 */
final class FakeHubUploads {
  private final FakeHub hub;
  private final Map<String, Map<Integer, byte[]>> pendingParts = new ConcurrentHashMap<>();

  FakeHubUploads(FakeHub hub) {
    this.hub = hub;
  }

  /** PUTs of pre-signed upload URLs on the CDN; false when the request is not one. */
  boolean serveCdnUpload(HttpExchange ex, String path) throws IOException {
    Matcher part = Pattern.compile("^/upload/([0-9a-f]{64})/part/(\\d+)$").matcher(path);
    if (ex.getRequestMethod().equals("PUT") && part.matches()) {
      byte[] body = ex.getRequestBody().readAllBytes();
      pendingParts
          .computeIfAbsent(part.group(1), k -> new ConcurrentHashMap<>())
          .put(Integer.parseInt(part.group(2)), body);
      ex.getResponseHeaders().set("ETag", "\"" + gitSha1(body) + "\"");
      send(ex, 200, "");
      return true;
    }
    if (ex.getRequestMethod().equals("PUT") && path.startsWith("/upload/")) {
      String oid = path.substring("/upload/".length());
      byte[] body = ex.getRequestBody().readAllBytes();
      if (!sha256(body).equals(oid)) {
        send(ex, 400, "content does not match oid");
        return true;
      }
      hub.lfsStore.put(oid, body);
      send(ex, 200, "");
      return true;
    }
    return false;
  }

  void createRepoEndpoint(HttpExchange ex, boolean authed) throws IOException {
    if (!authed) {
      send(ex, 401, "{\"error\":\"Invalid username or password.\"}");
      return;
    }
    JsonNode body = JSON.readTree(ex.getRequestBody());
    String org = body.path("organization").isNull() ? null : body.path("organization").asText(null);
    String id = (org == null ? "" : org + "/") + body.path("name").asText();
    RepoType type = RepoType.parse(body.path("type").asText("model"));
    if (hub.repos.containsKey(key(type, id))) {
      send(
          ex,
          409,
          "{\"error\":\"You already created this "
              + type.id()
              + " repo\",\"url\":\""
              + hub.endpoint()
              + "/"
              + id
              + "\"}");
      return;
    }
    hub.createRepo(type, id);
    send(ex, 200, "{\"url\":\"" + hub.endpoint() + "/" + type.urlPrefix() + id + "\"}");
  }

  void preupload(HttpExchange ex, Repo repo, boolean authed) throws IOException {
    if (!authed) {
      send(ex, 401, "{\"error\":\"Invalid username or password.\"}");
      return;
    }
    JsonNode body = JSON.readTree(ex.getRequestBody());
    ObjectNode out = JSON.createObjectNode();
    ArrayNode files = out.putArray("files");
    for (JsonNode f : body.path("files")) {
      String p = f.path("path").asText();
      long size = f.path("size").asLong();
      boolean lfs = hub.isLfs(p, size);
      ObjectNode r =
          files
              .addObject()
              .put("path", p)
              .put("uploadMode", lfs ? "lfs" : "regular")
              .put("shouldIgnore", false);
      byte[] current = repo.head().get(p);
      if (current == null) {
        r.putNull("oid");
      } else {
        r.put("oid", hub.isLfs(p, current.length) ? sha256(current) : gitSha1(current));
      }
    }
    send(ex, 200, JSON.writeValueAsString(out));
  }

  void lfsBatch(HttpExchange ex, boolean authed) throws IOException {
    if (!authed) {
      send(ex, 401, "{\"message\":\"Invalid username or password.\"}");
      return;
    }
    JsonNode body = JSON.readTree(ex.getRequestBody());
    ObjectNode out = JSON.createObjectNode().put("transfer", "basic");
    ArrayNode objects = out.putArray("objects");
    for (JsonNode o : body.path("objects")) {
      String oid = o.path("oid").asText();
      long size = o.path("size").asLong();
      ObjectNode r = objects.addObject().put("oid", oid).put("size", size);
      if (hub.lfsStore.containsKey(oid)) {
        continue; // already stored: no actions
      }
      ObjectNode actions = r.putObject("actions");
      ObjectNode upload = actions.putObject("upload");
      if (size > hub.multipartAbove) {
        upload.put("href", hub.endpoint() + "/lfs-complete/" + oid);
        ObjectNode header = upload.putObject("header");
        header.put("chunk_size", String.valueOf(hub.multipartChunk));
        long parts = (size + hub.multipartChunk - 1) / hub.multipartChunk;
        for (int i = 1; i <= parts; i++) {
          header.put(
              String.valueOf(i),
              hub.cdnBase() + "/upload/" + oid + "/part/" + i + "?X-Amz-Signature=fake");
        }
      } else {
        upload.put("href", hub.cdnBase() + "/upload/" + oid);
      }
      actions.putObject("verify").put("href", hub.endpoint() + "/lfs-verify/" + oid);
    }
    ex.getResponseHeaders().set("Content-Type", "application/vnd.git-lfs+json");
    send(ex, 200, JSON.writeValueAsString(out));
  }

  void lfsComplete(HttpExchange ex, String oid) throws IOException {
    JsonNode body = JSON.readTree(ex.getRequestBody());
    Map<Integer, byte[]> parts = pendingParts.getOrDefault(oid, Map.of());
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    int expect = 1;
    for (JsonNode p : body.path("parts")) {
      int n = p.path("partNumber").asInt();
      byte[] b = parts.get(n);
      if (n != expect++ || b == null || !p.path("etag").asText().equals("\"" + gitSha1(b) + "\"")) {
        send(ex, 400, "{\"error\":\"bad part " + n + "\"}");
        return;
      }
      all.write(b);
    }
    if (!sha256(all.toByteArray()).equals(oid) || !body.path("oid").asText().equals(oid)) {
      send(ex, 400, "{\"error\":\"assembled object does not match its oid\"}");
      return;
    }
    hub.lfsStore.put(oid, all.toByteArray());
    pendingParts.remove(oid);
    send(ex, 200, "{}");
  }

  void lfsVerify(HttpExchange ex, String oid, boolean authed) throws IOException {
    JsonNode body = JSON.readTree(ex.getRequestBody());
    byte[] b = hub.lfsStore.get(oid);
    if (!authed || b == null || b.length != body.path("size").asLong()) {
      send(ex, 404, "{\"message\":\"object not found\"}");
      return;
    }
    send(ex, 200, "{}");
  }

  void commitEndpoint(HttpExchange ex, Repo repo, String rev, boolean authed) throws IOException {
    if (!authed) {
      send(ex, 401, "{\"error\":\"Invalid username or password.\"}");
      return;
    }
    String parent = hub.commitOf(ex, repo, rev);
    if (parent == null) {
      return;
    }
    String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (text.contains(TOKEN)) {
      send(
          ex,
          400,
          "{\"error\":\"Your push was rejected because it contains valid Hugging Face secrets.\"}");
      return;
    }
    if (!"application/x-ndjson".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
      send(ex, 400, "{\"error\":\"expected application/x-ndjson\"}");
      return;
    }
    Map<String, byte[]> files = new TreeMap<>(repo.commits.get(parent));
    String summary = null;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(line);
      JsonNode v = n.path("value");
      switch (n.path("key").asText()) {
        case "header" -> summary = v.path("summary").asText(null);
        case "file" -> {
          byte[] b = Base64.getDecoder().decode(v.path("content").asText());
          if (new String(b, StandardCharsets.UTF_8).contains(TOKEN)) {
            send(
                ex,
                400,
                "{\"error\":\"Your push was rejected because it contains valid Hugging Face secrets.\"}");
            return;
          }
          files.put(v.path("path").asText(), b);
        }
        case "lfsFile" -> {
          byte[] b = hub.lfsStore.get(v.path("oid").asText());
          if (b == null || b.length != v.path("size").asLong()) {
            send(
                ex,
                400,
                "{\"error\":\"LFS object " + v.path("oid").asText() + " was not uploaded\"}");
            return;
          }
          files.put(v.path("path").asText(), b);
        }
        case "deletedFile" -> files.remove(v.path("path").asText());
        default -> {
          send(ex, 400, "{\"error\":\"unknown key " + n.path("key").asText() + "\"}");
          return;
        }
      }
    }
    if (summary == null || summary.isBlank()) {
      send(ex, 400, "{\"error\":\"summary is required\"}");
      return;
    }
    String c = commitId(parent, summary, files);
    repo.commits.put(c, files);
    repo.refs.put(rev, c);
    send(
        ex,
        200,
        "{\"commitUrl\":\""
            + hub.endpoint()
            + "/"
            + repo.type.urlPrefix()
            + repo.id
            + "/commit/"
            + c
            + "\",\"commitOid\":\""
            + c
            + "\"}");
  }
}
