package aha.teacher;

/**
 * One generated completion.
 *
 * @param content the assistant content exactly as the server returned it (it may hold a {@code
 *     <think>...</think>} block when the server has no reasoning parser)
 * @param reasoning the reasoning: the {@code reasoning_content} field where the server sends one
 *     (DeepSeek API, vLLM/SGLang with a reasoning parser), otherwise the text of the think block in
 *     {@code content}; empty when there is none
 * @param finishReason {@code stop}, {@code length}, ... as sent; {@code null} if the server sent
 *     none
 */
public record Choice(int index, String content, String reasoning, String finishReason) {
  public Choice {
    content = content == null ? "" : content;
    reasoning = reasoning == null ? "" : reasoning;
  }

  /** Builds a choice whose reasoning comes from a separate field, or else from a think block. */
  public static Choice of(int index, String content, String reasoningField, String finishReason) {
    String reasoning =
        reasoningField != null && !reasoningField.isEmpty()
            ? reasoningField
            : ThinkBlock.split(content == null ? "" : content).reasoning();
    return new Choice(index, content, reasoning, finishReason);
  }

  /** The final answer text: the content without its think block. */
  public String answer() {
    return ThinkBlock.split(content).answer();
  }
}
