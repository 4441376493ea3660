package aha.teacher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The idempotency key of one teacher request: SHA-256 (hex) of a canonical JSON of the problem id,
 * the sample index, the teacher (its base URL, or for the local teacher, which gets a new port each
 * run, its settings; see {@link aha.generate.GenerateStage}) and model, the sampling settings (n, temperature, top_p,
 * max_tokens, every pass-through field) and the messages. The stream flag is left out: it changes
 * how an answer travels, not what it is. Any change of teacher or sampling gives new keys, so a
 * ledger never hands back answers from other settings.
 */
public final class RequestKey {
  private RequestKey() {}

  public static String of(String problemId, int sampleIndex, String baseUrl, ChatRequest request) {
    ObjectNode canonical = ChatCodec.requestBody(request.withStream(false));
    canonical.put("problem_id", problemId);
    canonical.put("sample_index", sampleIndex);
    canonical.put("base_url", baseUrl);
    if (!canonical.has("n")) canonical.put("n", 1);
    // maps (at every depth) serialise with sorted keys: equal settings give equal bytes
    java.util.Map<?, ?> sorted = ChatCodec.JSON.convertValue(canonical, java.util.TreeMap.class);
    String json;
    try {
      json = ChatCodec.JSON.writeValueAsString(sorted);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return sha256(json);
  }

  static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
