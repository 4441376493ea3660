package aha.model.chat;

import aha.BadInputException;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tokenizer's own Jinja {@code chat_template}, rendered by Jinjava with transformers' settings
 * (trim_blocks, lstrip_blocks) and its variables ({@code messages}, {@code add_generation_prompt},
 * {@code bos_token}, {@code eos_token}, {@code raise_exception}). Jinjava is not Python Jinja2:
 * templates using slices with a step or {@code namespace} may fail, hence {@link #tryCreate}.
 */
public final class JinjaChatTemplate implements ChatTemplate {
  private static final List<ChatMessage> PROBE =
      List.of(
          ChatMessage.system("S"),
          ChatMessage.user("U1"),
          ChatMessage.assistant("A1"),
          ChatMessage.user("U2"));

  private final String source;
  private final String prepared;
  private final Map<String, Object> specials;
  private final Jinjava jinjava;

  public JinjaChatTemplate(String source, String bosToken, String eosToken) {
    this.source = source;
    this.prepared = applyWhitespaceControl(source);
    this.specials = new HashMap<>();
    specials.put("bos_token", bosToken == null ? "" : bosToken);
    specials.put("eos_token", eosToken == null ? "" : eosToken);
    this.jinjava =
        new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
    jinjava
        .getGlobalContext()
        .registerFunction(
            new ELFunctionDefinition(
                "", "raise_exception", JinjaChatTemplate.class, "raiseException", String.class));
  }

  /**
   * The template if it renders a system/user/assistant/user conversation without errors and the
   * output contains every message, else null.
   */
  public static JinjaChatTemplate tryCreate(String source, String bosToken, String eosToken) {
    JinjaChatTemplate t = new JinjaChatTemplate(source, bosToken, eosToken);
    try {
      String out = t.render(PROBE, true);
      for (ChatMessage m : PROBE) {
        if (!out.contains(m.content())) return null;
      }
      return t;
    } catch (BadInputException e) {
      return null;
    }
  }

  /**
   * Applies Jinja's whitespace control ({@code {{-}, {@code -}}}, {@code {%-}, {@code -%}}, and the
   * same for comments) by deleting the whitespace next to such tags: Jinjava does not honour it on
   * expressions, which leaves indentation in the output of templates like Qwen2.5's.
   */
  static String applyWhitespaceControl(String src) {
    return src.replaceAll("\\s*(\\{[{%#])-", "$1").replaceAll("-([}%#]\\})\\s*", "$1");
  }

  /** Called by templates as {@code raise_exception('...')}. */
  public static String raiseException(String message) {
    throw new BadInputException("the chat template refused the conversation: " + message);
  }

  @Override
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    List<Map<String, Object>> msgs = new ArrayList<>();
    for (ChatMessage m : messages) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("role", m.role());
      e.put("content", m.content());
      msgs.add(e);
    }
    Map<String, Object> ctx = new HashMap<>(specials);
    ctx.put("messages", msgs);
    ctx.put("add_generation_prompt", addGenerationPrompt);
    RenderResult r;
    try {
      r = jinjava.renderForResult(prepared, ctx);
    } catch (RuntimeException e) {
      throw refusalOr(e, "the chat template does not render: " + e.getMessage());
    }
    for (TemplateError err : r.getErrors()) {
      if (err.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw refusalOr(
            err.getException(), "the chat template does not render: " + err.getMessage());
      }
    }
    return r.getOutput();
  }

  /** The template's own raise_exception (somewhere in the cause chain), else a render error. */
  private static BadInputException refusalOr(Throwable e, String message) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof BadInputException) return (BadInputException) c;
    }
    return new BadInputException(message, e);
  }

  @Override
  public String jinjaSource() {
    return source;
  }
}
