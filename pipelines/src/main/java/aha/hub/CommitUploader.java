package aha.hub;

import aha.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a folder as one commit: create the repo if asked, preupload (the Hub says which files are
 * LFS and which it already has), LFS batch upload, then the NDJSON commit.
 */
final class CommitUploader {
  private static final Logger LOG = LoggerFactory.getLogger(CommitUploader.class);
  private static final MediaType NDJSON = MediaType.get("application/x-ndjson");
  private static final int PREUPLOAD_BATCH = 256;

  /** What preupload said about one file. */
  private record Mode(boolean lfs, boolean ignore, String remoteOid) {}

  private final HubHttp http;
  private final LfsUploader lfs;

  CommitUploader(HubHttp http) {
    this.http = http;
    this.lfs = new LfsUploader(http);
  }

  CommitInfo upload(
      RepoType type, String repoId, Path folder, String message, String revision, boolean create)
      throws IOException {
    HubCache.checkRepoId(repoId);
    if (!Files.isDirectory(folder)) {
      throw new BadInputException(
          "Upload folder " + folder + " does not exist or is not a folder.");
    }
    List<UploadFile> files = collect(folder);
    if (files.stream().noneMatch(f -> f.pathInRepo().equalsIgnoreCase("README.md"))) {
      List<String> paths = files.stream().map(UploadFile::pathInRepo).toList();
      files.add(
          UploadFile.fromBytes(
              "README.md",
              RepoCard.generate(type, repoId, paths).getBytes(StandardCharsets.UTF_8)));
    }
    if (create) {
      createRepo(type, repoId);
    }
    Map<String, Mode> modes;
    try {
      modes = preupload(type, repoId, revision, files);
    } catch (HubAccessException.RepoNotFound e) {
      if (create) {
        throw e;
      }
      throw new HubAccessException.RepoNotFound(
          type.id()
              + " "
              + repoId
              + " does not exist on "
              + http.settings().endpoint()
              + " (or the token cannot see it): create it with --create (HubClient.upload(..., create=true)) or check the id and --repo-type.");
    }
    List<UploadFile> regular = new ArrayList<>();
    List<UploadFile> large = new ArrayList<>();
    for (UploadFile f : files) {
      Mode m = modes.get(f.pathInRepo());
      boolean isLfs = m != null && m.lfs() && f.size() > 0; // empty files are always regular
      if (m != null && m.ignore()) {
        continue;
      }
      String localOid = isLfs ? f.sha256() : f.gitSha1();
      if (m != null && localOid.equals(m.remoteOid())) {
        continue; // unchanged: no empty commits
      }
      (isLfs ? large : regular).add(f);
    }
    if (regular.isEmpty() && large.isEmpty()) {
      LOG.info("{} {}: nothing changed, no commit made", type.id(), repoId);
      return new CommitInfo(null, null, 0);
    }
    lfs.upload(type, repoId, revision, large);
    return commit(type, repoId, revision, message, regular, large);
  }

  /**
   * POST /api/repos/create with the namespace's default visibility, as Python does; 409 (exists) is
   * fine.
   */
  void createRepo(RepoType type, String repoId) throws IOException {
    if (type == RepoType.SPACE) {
      throw new BadInputException(
          "Creating a Space needs an SDK choice: create "
              + repoId
              + " on the Hub first, then upload without --create.");
    }
    int slash = repoId.indexOf('/');
    ObjectNode body = HubHttp.JSON.createObjectNode();
    body.put("name", slash < 0 ? repoId : repoId.substring(slash + 1));
    if (slash < 0) {
      body.putNull("organization");
    } else {
      body.put("organization", repoId.substring(0, slash));
    }
    body.put("type", type.id());
    Request req =
        http.request(http.url("api/repos/create"))
            .post(RequestBody.create(HubHttp.JSON.writeValueAsBytes(body), HubHttp.JSON_TYPE))
            .build();
    try (Response resp = http.execute(http.manual, req, true)) {
      if (resp.code() == 409) {
        return;
      }
      if (resp.code() == 401 || resp.code() == 403) {
        throw new HubAccessException.Denied(
            "Creating "
                + type.id()
                + " "
                + repoId
                + " on "
                + http.settings().endpoint()
                + " was refused (HTTP "
                + resp.code()
                + "): set HF_TOKEN (or $HF_HOME/token) to a token with write access to that namespace.");
      }
      http.check(resp, "creating " + type.id() + " " + repoId);
    }
  }

  private Map<String, Mode> preupload(
      RepoType type, String repoId, String revision, List<UploadFile> files) throws IOException {
    Map<String, Mode> out = new HashMap<>();
    String url =
        http.url(
            "api/"
                + type.plural()
                + "/"
                + repoId
                + "/preupload/"
                + FileDownloader.encodeSegment(revision));
    for (int i = 0; i < files.size(); i += PREUPLOAD_BATCH) {
      ObjectNode body = HubHttp.JSON.createObjectNode();
      ArrayNode arr = body.putArray("files");
      for (UploadFile f : files.subList(i, Math.min(files.size(), i + PREUPLOAD_BATCH))) {
        arr.addObject()
            .put("path", f.pathInRepo())
            .put("sample", Base64.getEncoder().encodeToString(f.sample()))
            .put("size", f.size());
      }
      JsonNode answer =
          http.postJson(
              url,
              body,
              "preupload to " + type.id() + " " + repoId + " at revision " + revision,
              true);
      for (JsonNode f : answer.path("files")) {
        out.put(
            f.path("path").asText(),
            new Mode(
                "lfs".equals(f.path("uploadMode").asText()),
                f.path("shouldIgnore").asBoolean(false),
                f.hasNonNull("oid") ? f.get("oid").asText() : null));
      }
    }
    return out;
  }

  /**
   * The NDJSON commit: a header line, then one line per file. Not retried (a lost answer would
   * commit twice).
   */
  private CommitInfo commit(
      RepoType type,
      String repoId,
      String revision,
      String message,
      List<UploadFile> regular,
      List<UploadFile> large)
      throws IOException {
    ByteArrayOutputStream nd = new ByteArrayOutputStream();
    ObjectNode header = HubHttp.JSON.createObjectNode().put("key", "header");
    header.putObject("value").put("summary", message).put("description", "");
    line(nd, header);
    for (UploadFile f : regular) {
      ObjectNode n = HubHttp.JSON.createObjectNode().put("key", "file");
      n.putObject("value")
          .put("path", f.pathInRepo())
          .put("content", Base64.getEncoder().encodeToString(f.readAll()))
          .put("encoding", "base64");
      line(nd, n);
    }
    for (UploadFile f : large) {
      ObjectNode n = HubHttp.JSON.createObjectNode().put("key", "lfsFile");
      n.putObject("value")
          .put("path", f.pathInRepo())
          .put("algo", "sha256")
          .put("oid", f.sha256())
          .put("size", f.size());
      line(nd, n);
    }
    String url =
        http.url(
            "api/"
                + type.plural()
                + "/"
                + repoId
                + "/commit/"
                + FileDownloader.encodeSegment(revision));
    Request req = http.request(url).post(RequestBody.create(nd.toByteArray(), NDJSON)).build();
    try (Response resp = http.execute(http.manual, req, false)) {
      http.check(resp, "the commit to " + type.id() + " " + repoId + " at revision " + revision);
      // not retried: a commit is not safe to repeat, so a malformed answer is one clear error
      JsonNode answer;
      try {
        answer =
            HubHttp.readJson(
                resp, "the commit to " + type.id() + " " + repoId + " at revision " + revision);
      } catch (HubHttp.MalformedBody e) {
        throw new HubTransferException(
            e.getMessage().replaceFirst("\\.$", "")
                + "; the commit may have been made: check the repository before uploading again.",
            0,
            e);
      }
      CommitInfo info =
          new CommitInfo(
              answer.path("commitOid").asText(null),
              answer.path("commitUrl").asText(null),
              regular.size() + large.size());
      LOG.info(
          "{} {}: committed {} file(s) ({} LFS) as {}",
          type.id(),
          repoId,
          info.files(),
          large.size(),
          info.commitOid());
      return info;
    }
  }

  private static void line(ByteArrayOutputStream out, JsonNode node) throws IOException {
    out.write(HubHttp.JSON.writeValueAsBytes(node));
    out.write('\n');
  }

  /**
   * Every regular file under {@code folder} (links followed), skipping {@code .git/} and {@code
   * .cache/}.
   */
  static List<UploadFile> collect(Path folder) throws IOException {
    List<UploadFile> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
      for (Path p : walk.sorted().toList()) {
        if (!Files.isRegularFile(p)) {
          continue;
        }
        String rel = folder.relativize(p).toString().replace('\\', '/');
        if (rel.startsWith(".git/") || rel.startsWith(".cache/")) {
          continue;
        }
        out.add(UploadFile.fromFile(rel, p));
      }
    }
    return out;
  }
}
