package aha.model.chat;

import aha.BadInputException;
import java.util.List;

/**
 * The DeepSeek-R1 (and R1-Distill) format: BOS, the system prompt (the last system message), then
 * {@code <｜User｜>content} and {@code <｜Assistant｜>answer<｜end▁of▁sentence｜>} turns, where an
 * earlier assistant turn keeps only the text after its last {@code </think>}. The generation prompt
 * is {@code <｜Assistant｜><think>\n}, as in the updated R1 template that makes the model start by
 * reasoning. Tool calls are not supported.
 */
public final class DeepSeekR1Template implements ChatTemplate {
  public static final String BOS = "<｜begin▁of▁sentence｜>";
  public static final String EOS = "<｜end▁of▁sentence｜>";
  public static final String USER = "<｜User｜>";
  public static final String ASSISTANT = "<｜Assistant｜>";

  public static final String JINJA =
      "{% set ns = namespace(system_prompt='') %}"
          + "{% for message in messages %}{% if message['role'] == 'system' %}"
          + "{% set ns.system_prompt = message['content'] %}{% endif %}{% endfor %}"
          + "{{ bos_token }}{{ ns.system_prompt }}"
          + "{% for message in messages %}"
          + "{% if message['role'] == 'user' %}{{ '"
          + USER
          + "' + message['content'] }}"
          + "{% elif message['role'] == 'assistant' %}{% set content = message['content'] %}"
          + "{% if '</think>' in content %}{% set content = content.split('</think>')|last %}{% endif %}"
          + "{{ '"
          + ASSISTANT
          + "' + content + '"
          + EOS
          + "' }}{% endif %}"
          + "{% endfor %}"
          + "{% if add_generation_prompt %}{{ '"
          + ASSISTANT
          + "<think>\\n' }}{% endif %}";

  private final String bos;

  public DeepSeekR1Template() {
    this(BOS);
  }

  /** With the tokenizer's own BOS text (R1 uses {@value #BOS}). */
  public DeepSeekR1Template(String bos) {
    this.bos = bos == null ? "" : bos;
  }

  @Override
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    String system = "";
    for (ChatMessage m : messages) {
      if (m.role().equals("system")) system = m.content();
    }
    StringBuilder sb = new StringBuilder(bos).append(system);
    for (ChatMessage m : messages) {
      switch (m.role()) {
        case "system":
          break;
        case "user":
          sb.append(USER).append(m.content());
          break;
        case "assistant":
          String c = m.content();
          int end = c.lastIndexOf("</think>");
          if (end >= 0) c = c.substring(end + "</think>".length());
          sb.append(ASSISTANT).append(c).append(EOS);
          break;
        default:
          throw new BadInputException(
              "chat role '" + m.role() + "' is not supported; expected system, user or assistant");
      }
    }
    if (addGenerationPrompt) sb.append(ASSISTANT).append("<think>\n");
    return sb.toString();
  }

  @Override
  public String jinjaSource() {
    return JINJA;
  }
}
