package aha.hub;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One file of a repository listing ({@code /api/.../tree}).
 *
 * @param path path in the repository, {@code /}-separated
 * @param size size in bytes of the real content
 * @param gitOid git blob id (of the LFS pointer for LFS files)
 * @param lfsSha256 sha256 of the content for LFS files, null otherwise
 * @param xetHash Xet hash for Xet-backed files, null otherwise
 */
public record RepoFile(String path, long size, String gitOid, String lfsSha256, String xetHash) {

  public boolean isLfs() {
    return lfsSha256 != null;
  }

  /** Reads a tree item; returns null for directories. */
  static RepoFile fromTreeItem(JsonNode item) {
    if (!"file".equals(item.path("type").asText())) {
      return null;
    }
    JsonNode lfs = item.get("lfs");
    String sha = lfs != null && lfs.hasNonNull("oid") ? lfs.get("oid").asText() : null;
    long size =
        lfs != null && lfs.has("size") ? lfs.get("size").asLong() : item.path("size").asLong();
    return new RepoFile(
        item.path("path").asText(),
        size,
        item.path("oid").asText(null),
        sha,
        item.hasNonNull("xetHash") ? item.get("xetHash").asText() : null);
  }
}
