package aha.model.chat;

import java.util.List;

/**
 * ChatML, the Qwen format: each turn is {@code <|im_start|>role\ncontent<|im_end|>\n}, and the
 * generation prompt is {@code <|im_start|>assistant\n}. No default system message is added
 * (Qwen2.5's own template adds one when none is given; pass it explicitly for that).
 */
public final class ChatMlTemplate implements ChatTemplate {
  public static final String JINJA =
      "{% for message in messages %}"
          + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
          + "{% endfor %}"
          + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  @Override
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : messages) {
      sb.append("<|im_start|>").append(m.role()).append('\n');
      sb.append(m.content()).append("<|im_end|>\n");
    }
    if (addGenerationPrompt) sb.append("<|im_start|>assistant\n");
    return sb.toString();
  }

  @Override
  public String jinjaSource() {
    return JINJA;
  }
}
