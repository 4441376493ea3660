package aha.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git LFS batch API: ask where to put each object, then PUT it in one piece ("basic") or in parts
 * ("multipart", when the action carries {@code chunk_size}), then complete and verify. Pre-signed
 * upload URLs get no token; the Hub's own completion/verify URLs do.
 */
final class LfsUploader {
  private static final Logger LOG = LoggerFactory.getLogger(LfsUploader.class);
  private static final MediaType LFS = MediaType.get("application/vnd.git-lfs+json");
  private static final int BATCH = 256;

  private final HubHttp http;

  LfsUploader(HubHttp http) {
    this.http = http;
  }

  void upload(RepoType type, String repoId, String revision, List<UploadFile> files)
      throws IOException {
    Map<String, UploadFile> byOid = new HashMap<>();
    for (UploadFile f : files) {
      byOid.put(f.sha256(), f);
    }
    List<UploadFile> unique = new ArrayList<>(byOid.values());
    for (int i = 0; i < unique.size(); i += BATCH) {
      List<UploadFile> chunk = unique.subList(i, Math.min(unique.size(), i + BATCH));
      for (JsonNode obj : batch(type, repoId, revision, chunk)) {
        UploadFile f = byOid.get(obj.path("oid").asText());
        if (f == null) {
          throw new HubTransferException(
              "The LFS batch answer names an object we did not ask for: "
                  + obj.path("oid").asText()
                  + ".");
        }
        transfer(type, repoId, f, obj);
      }
    }
  }

  private JsonNode batch(RepoType type, String repoId, String revision, List<UploadFile> chunk)
      throws IOException {
    ObjectNode body = HubHttp.JSON.createObjectNode();
    body.put("operation", "upload");
    body.putArray("transfers").add("basic").add("multipart");
    body.put("hash_algo", "sha256");
    ArrayNode objects = body.putArray("objects");
    for (UploadFile f : chunk) {
      objects.addObject().put("oid", f.sha256()).put("size", f.size());
    }
    body.putObject("ref").put("name", revision);
    String url = http.url(type.urlPrefix() + repoId + ".git/info/lfs/objects/batch");
    Request req =
        http.request(url)
            .header("Accept", LFS.toString())
            .post(RequestBody.create(HubHttp.JSON.writeValueAsBytes(body), LFS))
            .build();
    String batch = "the LFS upload batch for " + type.id() + " " + repoId;
    // the batch only asks where to upload: safe to ask again when the answer is not JSON
    for (int attempt = 1; ; attempt++) {
      try (Response resp = http.execute(http.manual, req, true)) {
        http.check(resp, batch);
        return HubHttp.readJson(resp, batch).path("objects");
      } catch (HubHttp.MalformedBody e) {
        if (attempt >= HubHttp.MALFORMED_ATTEMPTS) throw e;
      }
    }
  }

  private void transfer(RepoType type, String repoId, UploadFile f, JsonNode obj)
      throws IOException {
    String what = "LFS object " + f.pathInRepo() + " of " + type.id() + " " + repoId;
    if (obj.has("error")) {
      JsonNode err = obj.get("error");
      throw new HubTransferException(
          "The Hub refused "
              + what
              + ": "
              + http.mask(err.path("message").asText())
              + " (code "
              + err.path("code").asInt()
              + ").");
    }
    JsonNode actions = obj.get("actions");
    if (actions == null || !actions.has("upload")) {
      LOG.debug("{} already stored", what);
      return;
    }
    JsonNode upload = actions.get("upload");
    JsonNode header = upload.path("header");
    if (header.has("chunk_size")) {
      multipart(f, upload, header, what);
    } else {
      put(rewrite(upload.path("href").asText()), f.body(0, f.size()), what);
    }
    if (actions.has("verify")) {
      JsonNode verify = actions.get("verify");
      ObjectNode payload =
          HubHttp.JSON.createObjectNode().put("oid", f.sha256()).put("size", f.size());
      Request req =
          http.request(rewrite(verify.path("href").asText()))
              .header("Accept", LFS.toString())
              .post(RequestBody.create(HubHttp.JSON.writeValueAsBytes(payload), LFS))
              .build();
      try (Response resp = http.execute(http.manual, req, true)) {
        http.check(resp, "verification of " + what);
      }
    }
  }

  /**
   * Parts are the digit keys of the header, each a pre-signed URL for one {@code chunk_size} slice.
   */
  private void multipart(UploadFile f, JsonNode upload, JsonNode header, String what)
      throws IOException {
    long chunk = Long.parseLong(header.get("chunk_size").asText());
    TreeMap<Integer, String> parts = new TreeMap<>();
    header
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().matches("\\d+")) {
                parts.put(Integer.parseInt(e.getKey()), e.getValue().asText());
              }
            });
    long expected = (f.size() + chunk - 1) / chunk;
    if (chunk <= 0 || parts.size() != expected) {
      throw new HubTransferException(
          "The Hub offered "
              + parts.size()
              + " part URLs for "
              + what
              + " but "
              + f.size()
              + " bytes in chunks of "
              + chunk
              + " need "
              + expected
              + ".");
    }
    ObjectNode completion = HubHttp.JSON.createObjectNode().put("oid", f.sha256());
    ArrayNode done = completion.putArray("parts");
    for (Map.Entry<Integer, String> part : parts.entrySet()) {
      long offset = (part.getKey() - 1) * chunk;
      long length = Math.min(chunk, f.size() - offset);
      // a part is safe to send again (same bytes, same pre-signed URL): an answer without the
      // ETag the completion needs (a proxy's page) is retried like a malformed JSON answer
      String etag = null;
      for (int attempt = 1; etag == null && attempt <= HubHttp.MALFORMED_ATTEMPTS; attempt++) {
        etag = put(part.getValue(), f.body(offset, length), what + " part " + part.getKey());
      }
      if (etag == null) {
        throw new HubTransferException(
            "The storage answered part " + part.getKey() + " of " + what + " without an ETag "
                + HubHttp.MALFORMED_ATTEMPTS + " times.");
      }
      done.addObject().put("partNumber", part.getKey()).put("etag", etag);
    }
    // the completion URL is pre-signed too; Python sends it without the token
    Request req =
        http.request(rewrite(upload.path("href").asText()))
            .removeHeader("authorization")
            .header("Accept", LFS.toString())
            .post(RequestBody.create(HubHttp.JSON.writeValueAsBytes(completion), LFS))
            .build();
    try (Response resp = http.execute(http.manual, req, true)) {
      http.check(resp, "completion of " + what);
    }
  }

  /** PUT to a pre-signed URL, never with the token; returns the ETag the storage answered. */
  private String put(String url, RequestBody body, String what) throws IOException {
    Request req = http.request(url).removeHeader("authorization").put(body).build();
    try (Response resp = http.execute(http.manual, req, true)) {
      http.check(resp, "upload of " + what);
      return resp.header("ETag");
    }
  }

  /**
   * Hrefs that name the public Hub are sent to the configured endpoint instead (mirrors, tests).
   */
  private String rewrite(String href) {
    String hub = HubSettings.DEFAULT_ENDPOINT;
    if (href.startsWith(hub) && !http.settings().endpoint().equals(hub)) {
      return http.settings().endpoint() + href.substring(hub.length());
    }
    return href;
  }
}
