package aha.model.chat;

import aha.model.tokenizer.TextTokenizer;

/** Picks the chat template for a tokenizer. */
public final class ChatTemplates {
  private ChatTemplates() {}

  /**
   * The tokenizer's own template when Jinjava renders it; otherwise the built-in format its source
   * is recognised as (ChatML or DeepSeek-R1); ChatML when the tokenizer has none.
   */
  public static ChatTemplate forTokenizer(TextTokenizer tokenizer) {
    String source = tokenizer.chatTemplate();
    if (source == null || source.equals(ChatMlTemplate.JINJA)) return new ChatMlTemplate();
    if (source.equals(DeepSeekR1Template.JINJA))
      return new DeepSeekR1Template(tokenizer.bosToken());
    JinjaChatTemplate jinja =
        JinjaChatTemplate.tryCreate(source, tokenizer.bosToken(), tokenizer.eosToken());
    if (jinja != null) return jinja;
    if (source.contains(DeepSeekR1Template.ASSISTANT)) {
      return new DeepSeekR1Template(tokenizer.bosToken());
    }
    if (source.contains("<|im_start|>")) return new ChatMlTemplate();
    throw new aha.BadInputException(
        "tokenizer_config.json's chat_template does not render in Jinjava and is neither ChatML nor"
            + " DeepSeek-R1; replace it with one that does");
  }
}
