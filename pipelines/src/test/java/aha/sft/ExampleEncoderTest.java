package aha.sft;

import static org.assertj.core.api.Assertions.assertThat;

import aha.model.chat.ChatMessage;
import aha.model.chat.ChatMlTemplate;
import aha.model.chat.DeepSeekR1Template;
import aha.model.tokenizer.CharTokenizerJson;
import aha.model.tokenizer.TextTokenizer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExampleEncoderTest {
  static TextTokenizer tok;

  @BeforeAll
  static void tokenizer() {
    tok = TextTokenizer.chars("abcdefghijklmnopqrstuvwxyz0123456789+= \n<>/", CharTokenizerJson.REASONING_TAGS,
        ChatMlTemplate.JINJA);
  }

  @AfterAll
  static void close() {
    tok.close();
  }

  /** The decoded text of the labelled tokens, with special tokens kept. */
  static String labelled(Example e) {
    StringBuilder sb = new StringBuilder();
    for (int t = 0; t < e.length(); t++) {
      if (e.labels()[t]) sb.append(tok.decode(new long[] {e.ids()[t]}, false));
    }
    return sb.toString();
  }

  @Test
  void chatMlLabelsExactlyTheAssistantTextAndItsEndOfTurn() {
    ChatMlTemplate chatMl = new ChatMlTemplate();
    long eot = ExampleEncoder.endOfTurnToken(tok, chatMl);
    assertThat(eot).isEqualTo(tok.tokenId("<|im_end|>").longValue());
    ExampleEncoder enc = new ExampleEncoder(tok, chatMl, eot, 1000);
    List<ChatMessage> conv = List.of(ChatMessage.system("be brief"), ChatMessage.user("1+2"),
        ChatMessage.assistant("<think>\n1+2=3\n</think>\n<answer>3</answer>"));
    Example e = enc.encode(conv);

    // the ids are the inference prompt followed by the answer and EOS
    String prompt = chatMl.render(conv.subList(0, 2), true);
    assertThat(tok.decode(e.ids(), false)).isEqualTo(prompt + "<think>\n1+2=3\n</think>\n<answer>3</answer><|im_end|>");
    assertThat(labelled(e)).isEqualTo("<think>\n1+2=3\n</think>\n<answer>3</answer><|im_end|>");
    // labels are one contiguous run that ends with EOS, the last token
    int firstLabel = tok.encode(prompt).length;
    for (int t = 0; t < e.length(); t++) assertThat(e.labels()[t]).as("token %d", t).isEqualTo(t >= firstLabel);
    assertThat(e.ids()[e.length() - 1]).isEqualTo(eot);
    assertThat(e.truncated()).isFalse();
  }

  @Test
  void everyAssistantTurnOfAMultiTurnConversationIsLabelled() {
    ChatMlTemplate chatMl = new ChatMlTemplate();
    ExampleEncoder enc = new ExampleEncoder(tok, chatMl, ExampleEncoder.endOfTurnToken(tok, chatMl), 1000);
    List<ChatMessage> conv = List.of(ChatMessage.user("hi"), ChatMessage.assistant("ab"), ChatMessage.user("again"),
        ChatMessage.assistant("cd"));
    Example e = enc.encode(conv);
    assertThat(labelled(e)).isEqualTo("ab<|im_end|>cd<|im_end|>");
    // the whole sequence is the template's rendering (minus the final newline the model never writes)
    assertThat(tok.decode(e.ids(), false) + "\n").isEqualTo(chatMl.render(conv, false));
  }

  @Test
  void truncationCutsAtMaxLengthAndIsReported() {
    ChatMlTemplate chatMl = new ChatMlTemplate();
    ExampleEncoder enc = new ExampleEncoder(tok, chatMl, ExampleEncoder.endOfTurnToken(tok, chatMl), 29);
    Example e = enc.encode(List.of(ChatMessage.user("q"), ChatMessage.assistant("a long answer here")));
    assertThat(e.length()).isEqualTo(29);
    assertThat(e.truncated()).isTrue();
    // prompt "<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n" is 1+4+1+1+1+1+1+9+1 = 20 tokens
    assertThat(e.labelCount()).isEqualTo(9);
    assertThat(labelled(e)).isEqualTo("a long an");
    Example fits = new ExampleEncoder(tok, chatMl, ExampleEncoder.endOfTurnToken(tok, chatMl), 39)
        .encode(List.of(ChatMessage.user("q"), ChatMessage.assistant("a long answer here")));
    assertThat(fits.truncated()).isFalse();
    assertThat(fits.length()).isEqualTo(39); // 20 + 18 + EOS
    assertThat(fits.labelCount()).isEqualTo(19);
  }

  @Test
  void aConversationWithoutAssistantTurnHasNoLabels() {
    ChatMlTemplate chatMl = new ChatMlTemplate();
    ExampleEncoder enc = new ExampleEncoder(tok, chatMl, ExampleEncoder.endOfTurnToken(tok, chatMl), 100);
    assertThat(enc.encode(List.of(ChatMessage.user("q"))).labelCount()).isZero();
  }

  @Test
  void r1TemplateContinuesAfterItsPrefilledThinkTagAndEndsWithItsOwnEos() {
    try (TextTokenizer r1 = TextTokenizer.chars("abcdefghijklmnopqrstuvwxyz0123456789+= \n<>/",
        List.of(DeepSeekR1Template.BOS, DeepSeekR1Template.EOS, DeepSeekR1Template.USER, DeepSeekR1Template.ASSISTANT,
            "<think>", "</think>"), null)) {
      DeepSeekR1Template t = new DeepSeekR1Template();
      long eot = ExampleEncoder.endOfTurnToken(r1, t);
      assertThat(eot).isEqualTo(r1.tokenId(DeepSeekR1Template.EOS).longValue());
      Example e = new ExampleEncoder(r1, t, eot, 1000)
          .encode(List.of(ChatMessage.user("1+2"), ChatMessage.assistant("<think>\n1+2=3\n</think>\n3")));
      StringBuilder lab = new StringBuilder();
      for (int i = 0; i < e.length(); i++) if (e.labels()[i]) lab.append(r1.decode(new long[] {e.ids()[i]}, false));
      assertThat(lab.toString()).isEqualTo("1+2=3\n</think>\n3" + DeepSeekR1Template.EOS);
      assertThat(r1.decode(e.ids(), false)).startsWith(t.render(List.of(ChatMessage.user("1+2")), true));
    }
  }
}
