package aha.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Hash of the content as the etag names it: sha256 for 64-hex (LFS) etags, the git blob sha1
 * ({@code sha1("blob <size>\0" + content)}) for 40-hex etags; nothing to check otherwise.
 */
final class ContentHasher {
  private final MessageDigest digest;
  private final String name;
  private final byte[] prefix;

  private ContentHasher(MessageDigest digest, String name, byte[] prefix) {
    this.digest = digest;
    this.name = name;
    this.prefix = prefix;
    reset();
  }

  static ContentHasher forEtag(String etag, long size) {
    try {
      if (etag.matches("[0-9a-f]{64}")) {
        return new ContentHasher(MessageDigest.getInstance("SHA-256"), "sha256", new byte[0]);
      }
      if (etag.matches("[0-9a-f]{40}")) {
        return new ContentHasher(
            MessageDigest.getInstance("SHA-1"),
            "git blob sha1",
            ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
      }
      return new ContentHasher(null, "none", new byte[0]);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void reset() {
    if (digest != null) {
      digest.reset();
      digest.update(prefix);
    }
  }

  void update(byte[] buf, int n) {
    if (digest != null) {
      digest.update(buf, 0, n);
    }
  }

  void absorb(Path file, long length) throws IOException {
    if (digest == null) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      long left = length;
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        digest.update(buf, 0, n);
        left -= n;
      }
    }
  }

  /**
   * The hash name when the content does not match the etag, empty when it does (or cannot be
   * checked).
   */
  Optional<String> mismatch(String etag) {
    if (digest == null) {
      return Optional.empty();
    }
    String got = HexFormat.of().formatHex(digest.digest());
    return got.equals(etag) ? Optional.empty() : Optional.of(name);
  }
}
