package aha.model.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
  static final List<ChatMessage> CONVERSATION =
      List.of(
          ChatMessage.system("You are a careful solver."),
          ChatMessage.user("What is 23+45?"),
          ChatMessage.assistant("<think>20+40=60, 3+5=8</think>68"),
          ChatMessage.user("And 1+1?"));

  @Test
  void chatMl() {
    ChatTemplate t = new ChatMlTemplate();
    assertThat(t.render(CONVERSATION, true))
        .isEqualTo(
            "<|im_start|>system\nYou are a careful solver.<|im_end|>\n"
                + "<|im_start|>user\nWhat is 23+45?<|im_end|>\n"
                + "<|im_start|>assistant\n<think>20+40=60, 3+5=8</think>68<|im_end|>\n"
                + "<|im_start|>user\nAnd 1+1?<|im_end|>\n"
                + "<|im_start|>assistant\n");
    assertThat(t.render(List.of(ChatMessage.user("hi")), false))
        .isEqualTo("<|im_start|>user\nhi<|im_end|>\n");
  }

  @Test
  void deepSeekR1() {
    ChatTemplate t = new DeepSeekR1Template();
    assertThat(t.render(CONVERSATION, true))
        .isEqualTo(
            "<｜begin▁of▁sentence｜>You are a careful solver."
                + "<｜User｜>What is 23+45?"
                + "<｜Assistant｜>68<｜end▁of▁sentence｜>"
                + "<｜User｜>And 1+1?"
                + "<｜Assistant｜><think>\n");
    assertThat(t.render(List.of(ChatMessage.user("hi")), false))
        .isEqualTo("<｜begin▁of▁sentence｜><｜User｜>hi");
    assertThatThrownBy(() -> t.render(List.of(new ChatMessage("tool", "x")), true))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("tool");
  }

  @Test
  void jinjaSourcesOfTheBuiltInsRenderTheSameInJinjava() {
    for (boolean gen : new boolean[] {true, false}) {
      assertThat(new JinjaChatTemplate(ChatMlTemplate.JINJA, null, null).render(CONVERSATION, gen))
          .isEqualTo(new ChatMlTemplate().render(CONVERSATION, gen));
      assertThat(
              new JinjaChatTemplate(DeepSeekR1Template.JINJA, DeepSeekR1Template.BOS, null)
                  .render(CONVERSATION, gen))
          .isEqualTo(new DeepSeekR1Template().render(CONVERSATION, gen));
    }
  }

  @Test
  void aTokenizersOwnJinjaTemplate() {
    // Llama-2-like: BOS, [INST] ... [/INST], answers followed by EOS; refuses a wrong order
    String src =
        "{{ bos_token }}{% for message in messages %}"
            + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant') }}{% endif %}"
            + "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] | trim + ' [/INST]' }}"
            + "{% else %}{{ ' ' + message['content'] + eos_token }}{% endif %}{% endfor %}";
    JinjaChatTemplate t = new JinjaChatTemplate(src, "<s>", "</s>");
    List<ChatMessage> conv =
        List.of(ChatMessage.user(" hi "), ChatMessage.assistant("hello"), ChatMessage.user("2+2?"));
    assertThat(t.render(conv, true)).isEqualTo("<s>[INST] hi [/INST] hello</s>[INST] 2+2? [/INST]");
    assertThatThrownBy(() -> t.render(List.of(ChatMessage.assistant("x")), false))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("alternate");
  }

  @Test
  void trimAndLstripBlocksAsInTransformers() {
    String src =
        "{% for message in messages %}\n"
            + "  {% if message['role'] == 'user' %}\n"
            + "U:{{ message['content'] }}\n"
            + "  {% endif %}\n"
            + "{% endfor %}\n";
    JinjaChatTemplate t = new JinjaChatTemplate(src, null, null);
    assertThat(t.render(List.of(ChatMessage.user("a"), ChatMessage.user("b")), false))
        .isEqualTo("U:a\nU:b\n");
  }

  @Test
  void qwenStyleTemplateWithWhitespaceControlAndDefaultSystem() {
    // written here in the style of Qwen2.5's template: `{%-`/`-%}`, attribute access, a default
    // system turn when the conversation has none
    String src =
        "{%- if messages[0].role == 'system' %}\n"
            + "    {{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}\n"
            + "{%- else %}\n"
            + "    {{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}\n"
            + "{%- endif %}\n"
            + "{%- for message in messages %}\n"
            + "    {%- if message.role == 'user' or (message.role == 'system' and not loop.first) or"
            + " message.role == 'assistant' %}\n"
            + "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n"
            + "    {%- endif %}\n"
            + "{%- endfor %}\n"
            + "{%- if add_generation_prompt %}\n"
            + "    {{- '<|im_start|>assistant\\n' }}\n"
            + "{%- endif %}\n";
    JinjaChatTemplate t = JinjaChatTemplate.tryCreate(src, null, "<|im_end|>");
    assertThat(t).isNotNull();
    assertThat(t.render(CONVERSATION, true))
        .isEqualTo(new ChatMlTemplate().render(CONVERSATION, true));
    List<ChatMessage> noSystem = List.of(ChatMessage.user("hi"));
    assertThat(t.render(noSystem, true))
        .isEqualTo(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
  }

  @Test
  void aTemplateJinjavaCannotRenderIsRefusedNotGuessed() {
    // Python's slice with a step: Jinjava has no such syntax (Qwen3's template uses it)
    String src = "{% for message in messages[::-1] %}{{ message['content'] }}{% endfor %}";
    assertThat(JinjaChatTemplate.tryCreate(src, null, null)).isNull();
  }
}
