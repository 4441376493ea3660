package aha.sft;

import aha.BadInputException;
import aha.model.chat.ChatMessage;
import aha.model.chat.ChatTemplate;
import aha.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a conversation into an {@link Example} exactly as the student will see it at inference:
 * each assistant turn is preceded by the template's rendering of the conversation so far with the
 * generation prompt (what {@code Generator} is fed), and followed by the template's end-of-turn
 * token, which is also the EOS the checkpoint's generation_config stops on. Only the assistant
 * text and that EOS are labelled, so a student trained here learns to stop (open-r1's runaway
 * generation came from labels and EOS that disagreed).
 *
 * <p>Pieces are tokenised separately (prompt, then answer), as generation does: the prompt is
 * encoded alone and the answer is the model's own tokens.
 */
public final class ExampleEncoder {
  private final TextTokenizer tokenizer;
  private final ChatTemplate template;
  private final int maxLength;
  private final long endOfTurn;
  private final String endOfTurnText;

  /**
   * @param endOfTurn the token that closes an assistant turn (see {@link #endOfTurnToken})
   */
  public ExampleEncoder(TextTokenizer tokenizer, ChatTemplate template, long endOfTurn, int maxLength) {
    this.tokenizer = tokenizer;
    this.template = template;
    this.maxLength = maxLength;
    this.endOfTurn = endOfTurn;
    this.endOfTurnText = tokenizer.decode(new long[] {endOfTurn}, false);
  }

  /**
   * The token a template writes right after an assistant message ({@code <|im_end|>} for ChatML,
   * {@code <｜end▁of▁sentence｜>} for R1), found by rendering a probe conversation; the tokenizer's
   * EOS when the template writes nothing after it.
   */
  public static long endOfTurnToken(TextTokenizer tokenizer, ChatTemplate template) {
    String marker = "Zq9";
    String text = template.render(List.of(ChatMessage.user("Hi"), ChatMessage.assistant(marker)), false);
    int at = text.lastIndexOf(marker);
    String after = at < 0 ? "" : text.substring(at + marker.length());
    if (!after.isEmpty()) {
      long[] ids = tokenizer.encode(after);
      if (ids.length > 0 && tokenizer.decode(new long[] {ids[0]}, false).length() > 1) return ids[0];
    }
    Integer eos = tokenizer.tokenId(tokenizer.eosToken());
    if (eos == null) {
      throw new BadInputException("the student's tokenizer has no eos_token and its chat template ends an "
          + "assistant turn with no special token; set eos_token in tokenizer_config.json");
    }
    return eos;
  }

  public long endOfTurn() {
    return endOfTurn;
  }

  /** The example of one conversation; labels are empty when it has no assistant turn. */
  public Example encode(List<ChatMessage> conversation) {
    List<Long> ids = new ArrayList<>();
    List<Boolean> labels = new ArrayList<>();
    String consumed = "";
    for (int i = 0; i < conversation.size(); i++) {
      if (!conversation.get(i).role().equals("assistant")) continue;
      String prompt = template.render(conversation.subList(0, i), true);
      if (!prompt.startsWith(consumed)) {
        // the template rewrites history (R1 drops earlier thinking): earlier turns are context only
        ids.clear();
        labels.clear();
        consumed = "";
      }
      append(ids, labels, tokenizer.encode(prompt.substring(consumed.length())), false);
      String answer = afterPrefill(prompt, conversation.get(i).content());
      append(ids, labels, tokenizer.encode(answer), true);
      ids.add(endOfTurn);
      labels.add(true);
      consumed = prompt + answer + endOfTurnText;
    }
    boolean truncated = ids.size() > maxLength;
    int n = Math.min(ids.size(), maxLength);
    long[] outIds = new long[n];
    boolean[] outLabels = new boolean[n];
    for (int t = 0; t < n; t++) {
      outIds[t] = ids.get(t);
      // the first token is never predicted: it has nothing before it
      outLabels[t] = t > 0 && labels.get(t);
    }
    return new Example(outIds, outLabels, truncated);
  }

  /**
   * The part of an assistant message the model writes itself: a template whose generation prompt
   * already opens the think block (R1's {@code <think>\n}) makes the model continue after it.
   */
  static String afterPrefill(String prompt, String content) {
    String trimmed = prompt.stripTrailing();
    if (trimmed.endsWith("<think>") && content.startsWith("<think>")) {
      String prefill = prompt.substring(trimmed.length() - "<think>".length());
      if (content.startsWith(prefill)) return content.substring(prefill.length());
      return content.substring("<think>".length()).stripLeading();
    }
    return content;
  }

  private static void append(List<Long> ids, List<Boolean> labels, long[] piece, boolean label) {
    for (long id : piece) {
      ids.add(id);
      labels.add(label);
    }
  }
}
