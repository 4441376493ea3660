package aha.sft;

import aha.model.TinyStudent;
import aha.recipe.Checks;
import java.util.List;

/**
 * Where the student starts: exactly one of {@code init: tiny} (a random tiny Qwen2 with a
 * character tokenizer built from the training texts), {@code path: DIR} (a Hugging Face model
 * folder) or {@code hub: org/name} (downloaded into the Hugging Face cache at {@code revision}).
 *
 * @param tokenizer only {@code chars} (the default) for {@code init: tiny}
 * @param maxPositionEmbeddings tiny only; default max(1024, max_length)
 */
public record StudentSpec(
    String init,
    Integer hiddenSize,
    Integer numHiddenLayers,
    Integer numAttentionHeads,
    Integer numKeyValueHeads,
    Integer intermediateSize,
    Integer maxPositionEmbeddings,
    String tokenizer,
    String path,
    String hub,
    String revision) {

  public StudentSpec {
    if (init != null) {
      TinyStudent d = TinyStudent.defaults(0);
      hiddenSize = hiddenSize == null ? d.hidden() : hiddenSize;
      numHiddenLayers = numHiddenLayers == null ? d.layers() : numHiddenLayers;
      numAttentionHeads = numAttentionHeads == null ? d.heads() : numAttentionHeads;
      numKeyValueHeads = numKeyValueHeads == null ? d.kvHeads() : numKeyValueHeads;
      intermediateSize = intermediateSize == null ? d.intermediate() : intermediateSize;
      tokenizer = tokenizer == null ? "chars" : tokenizer;
    }
    if (hub != null) revision = revision == null ? "main" : revision;
  }

  void validate(Checks c) {
    int given = (init != null ? 1 : 0) + (path != null ? 1 : 0) + (hub != null ? 1 : 0);
    if (given != 1) {
      c.fail("", "needs exactly one of init, path or hub, got " + given);
      return;
    }
    if (init != null) {
      c.oneOf(init, "init", List.of("tiny"));
      c.oneOf(tokenizer, "tokenizer", List.of("chars"));
      c.range(hiddenSize, "hidden_size", 8, 8192);
      c.range(numHiddenLayers, "num_hidden_layers", 1, 256);
      c.range(numAttentionHeads, "num_attention_heads", 1, 256);
      c.range(numKeyValueHeads, "num_key_value_heads", 1, 256);
      c.range(intermediateSize, "intermediate_size", 1, 1 << 20);
      c.range(maxPositionEmbeddings, "max_position_embeddings", 2, 1 << 20);
      if (hiddenSize % numAttentionHeads != 0 || (hiddenSize / numAttentionHeads) % 2 != 0) {
        c.fail("hidden_size", "must be an even multiple of num_attention_heads (" + numAttentionHeads + ")");
      }
      if (numAttentionHeads % numKeyValueHeads != 0) {
        c.fail("num_key_value_heads", "must divide num_attention_heads (" + numAttentionHeads + ")");
      }
    } else {
      for (String k : List.of("hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
          "intermediate_size", "max_position_embeddings", "tokenizer")) {
        if (tinyKey(k) != null) c.fail(k, "applies only to init: tiny");
      }
    }
    if (hub != null && !hub.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
      c.fail("hub", "must be a repository id like Qwen/Qwen2.5-0.5B-Instruct, got '" + hub + "'");
    }
    if (revision != null && hub == null) c.fail("revision", "applies only to hub");
  }

  private Object tinyKey(String k) {
    switch (k) {
      case "hidden_size": return hiddenSize;
      case "num_hidden_layers": return numHiddenLayers;
      case "num_attention_heads": return numAttentionHeads;
      case "num_key_value_heads": return numKeyValueHeads;
      case "intermediate_size": return intermediateSize;
      case "max_position_embeddings": return maxPositionEmbeddings;
      default: return tokenizer;
    }
  }
}
