package aha.hub;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * A file to commit: where its bytes come from (a local file, or bytes such as a generated card) and
 * the hashes the Hub compares: sha256 (the LFS oid) and the git blob sha1 (regular files).
 *
 * @param pathInRepo destination path, {@code /}-separated
 * @param source local file, or null when {@code content} holds the bytes
 * @param content in-memory bytes, or null when {@code source} is set
 * @param sample up to the first 512 bytes, which preupload sends so the Hub can sniff binaries
 */
record UploadFile(
    String pathInRepo,
    Path source,
    byte[] content,
    long size,
    String sha256,
    String gitSha1,
    byte[] sample) {

  static UploadFile fromFile(String pathInRepo, Path file) throws IOException {
    MessageDigest sha256 = digest("SHA-256");
    MessageDigest sha1 = digest("SHA-1");
    long size = Files.size(file);
    sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
    byte[] sample = new byte[(int) Math.min(512, size)];
    int sampled = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        sha256.update(buf, 0, n);
        sha1.update(buf, 0, n);
        int take = Math.min(n, sample.length - sampled);
        if (take > 0) {
          System.arraycopy(buf, 0, sample, sampled, take);
          sampled += take;
        }
      }
    }
    return new UploadFile(
        pathInRepo, file, null, size, hex(sha256.digest()), hex(sha1.digest()), sample);
  }

  static UploadFile fromBytes(String pathInRepo, byte[] bytes) {
    MessageDigest sha1 = digest("SHA-1");
    sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
    sha1.update(bytes);
    return new UploadFile(
        pathInRepo,
        null,
        bytes,
        bytes.length,
        hex(digest("SHA-256").digest(bytes)),
        hex(sha1.digest()),
        Arrays.copyOf(bytes, Math.min(512, bytes.length)));
  }

  byte[] readAll() throws IOException {
    return content != null ? content : Files.readAllBytes(source);
  }

  /** A replayable request body for bytes {@code [offset, offset + length)}, streamed from disk. */
  RequestBody body(long offset, long length) {
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public long contentLength() {
        return length;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        if (content != null) {
          sink.write(content, (int) offset, (int) length);
          return;
        }
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
          ch.position(offset);
          Source src = Okio.source(Channels.newInputStream(ch));
          Buffer buf = new Buffer();
          long left = length;
          while (left > 0) {
            long n = src.read(buf, Math.min(left, 1 << 16));
            if (n < 0) {
              throw new EOFException(source + " shrank while uploading");
            }
            sink.write(buf, n);
            left -= n;
          }
        }
      }
    };
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
