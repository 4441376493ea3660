package aha.model.chat;

import java.util.List;

/** Turns a conversation into the prompt text a model was trained on. */
public interface ChatTemplate {
  /**
   * The text of the conversation; with {@code addGenerationPrompt} it ends with the header of an
   * assistant turn, ready for the model to continue.
   */
  String render(List<ChatMessage> messages, boolean addGenerationPrompt);

  /** Jinja source with the same output, written into tokenizer_config.json for transformers. */
  String jinjaSource();
}
