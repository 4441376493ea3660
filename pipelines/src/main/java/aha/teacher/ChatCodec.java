package aha.teacher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON of the OpenAI chat-completions protocol, both ways, for the client and the local server. */
public final class ChatCodec {
  /** Sorted keys so that equal requests serialise to equal bytes (request keys hash this). */
  static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ChatCodec() {}

  /** The request body. {@code n} is sent only when above 1: DeepSeek's API rejects other values. */
  public static ObjectNode requestBody(ChatRequest request) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", request.model());
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage m : request.messages()) {
      messages.addObject().put("role", m.role()).put("content", m.content());
    }
    if (request.n() != 1) body.put("n", request.n());
    if (request.temperature() != null) body.put("temperature", request.temperature());
    if (request.topP() != null) body.put("top_p", request.topP());
    if (request.maxTokens() != null) body.put("max_tokens", request.maxTokens());
    for (Map.Entry<String, Object> e : request.extra().entrySet()) {
      body.set(e.getKey(), JSON.valueToTree(e.getValue()));
    }
    if (request.stream()) {
      body.put("stream", true);
      // usage arrives in a last chunk only when asked for (OpenAI, vLLM, SGLang, DeepSeek)
      if (!body.has("stream_options")) body.putObject("stream_options").put("include_usage", true);
    }
    return body;
  }

  public static String requestJson(ChatRequest request) {
    return write(requestBody(request));
  }

  /** Parses a request body as the local server receives it; throws on a missing or bad field. */
  public static ChatRequest parseRequest(JsonNode body) {
    if (!body.isObject()) throw new IllegalArgumentException("the body must be a JSON object");
    JsonNode messagesNode = body.get("messages");
    if (messagesNode == null || !messagesNode.isArray() || messagesNode.isEmpty()) {
      throw new IllegalArgumentException("'messages' must be a non-empty array");
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode m : messagesNode) {
      JsonNode role = m.get("role");
      JsonNode content = m.get("content");
      if (role == null || !role.isTextual() || content == null || !content.isTextual()) {
        throw new IllegalArgumentException("each message needs a string 'role' and 'content'");
      }
      messages.add(new ChatMessage(role.asText(), content.asText()));
    }
    int n = body.path("n").asInt(1);
    if (n < 1 || n > 128) throw new IllegalArgumentException("'n' must be in 1..128, got " + n);
    Double temperature = body.has("temperature") ? body.get("temperature").asDouble() : null;
    Double topP = body.has("top_p") ? body.get("top_p").asDouble() : null;
    Integer maxTokens = null;
    if (body.hasNonNull("max_tokens")) maxTokens = body.get("max_tokens").asInt();
    else if (body.hasNonNull("max_completion_tokens"))
      maxTokens = body.get("max_completion_tokens").asInt();
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("'max_tokens' must be at least 1, got " + maxTokens);
    }
    java.util.Map<String, Object> extra = new java.util.TreeMap<>();
    body.fields()
        .forEachRemaining(
            e -> {
              switch (e.getKey()) {
                case "model":
                case "messages":
                case "n":
                case "temperature":
                case "top_p":
                case "max_tokens":
                case "max_completion_tokens":
                case "stream":
                case "stream_options":
                  break;
                default:
                  extra.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
              }
            });
    return new ChatRequest(
        body.path("model").asText("default"),
        messages,
        n,
        temperature,
        topP,
        maxTokens,
        extra,
        body.path("stream").asBoolean(false));
  }

  /** Parses a non-streaming response body. Throws {@link MalformedResponseException}. */
  public static ChatResponse parseResponse(String text) throws MalformedResponseException {
    JsonNode root = read(text);
    JsonNode choicesNode = root.get("choices");
    if (choicesNode == null || !choicesNode.isArray()) {
      throw new MalformedResponseException("response has no 'choices' array");
    }
    List<Choice> choices = new ArrayList<>();
    for (JsonNode c : choicesNode) {
      JsonNode message = c.path("message");
      choices.add(
          Choice.of(
              c.path("index").asInt(choices.size()),
              textOrNull(message.get("content")),
              reasoningOf(message),
              textOrNull(c.get("finish_reason"))));
    }
    choices.sort(java.util.Comparator.comparingInt(Choice::index));
    return new ChatResponse(
        root.path("id").asText(""), root.path("model").asText(""), choices, usageOf(root));
  }

  static Usage usageOf(JsonNode root) {
    JsonNode u = root.get("usage");
    if (u == null || !u.isObject()) return null;
    long prompt = u.path("prompt_tokens").asLong(0);
    long completion = u.path("completion_tokens").asLong(0);
    return new Usage(prompt, completion, u.path("total_tokens").asLong(prompt + completion));
  }

  /** DeepSeek and vLLM call it {@code reasoning_content}; newer vLLM also {@code reasoning}. */
  static String reasoningOf(JsonNode messageOrDelta) {
    String r = textOrNull(messageOrDelta.get("reasoning_content"));
    return r != null ? r : textOrNull(messageOrDelta.get("reasoning"));
  }

  static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  static JsonNode read(String text) throws MalformedResponseException {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new MalformedResponseException("response is not a JSON object: " + abbreviate(text));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedResponseException("response is not valid JSON: " + abbreviate(text));
    }
  }

  static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }

  /** A 200 response whose body is not the protocol's JSON (retried: servers do send these). */
  public static final class MalformedResponseException extends Exception {
    public MalformedResponseException(String message) {
      super(message);
    }
  }
}
