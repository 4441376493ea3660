package aha.sft;

import aha.model.CausalLM;
import aha.model.Checkpoint;
import aha.model.SafeTensors;
import aha.model.chat.ChatTemplate;
import aha.model.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The model being trained with what a checkpoint folder needs besides weights.
 *
 * @param endOfTurn the token that ends an assistant turn in the labels; it is written first into
 *     generation_config.json's eos_token_id, so generation stops where training said it should
 */
public record Student(CausalLM model, TextTokenizer tokenizer, ChatTemplate template, Set<Integer> eosTokenIds,
    long endOfTurn) {

  /** EOS ids for generation: the end-of-turn token first, then the folder's own. */
  public Set<Integer> generationEos() {
    Set<Integer> eos = new LinkedHashSet<>();
    eos.add(Math.toIntExact(endOfTurn));
    eos.addAll(eosTokenIds);
    return eos;
  }

  /** Writes a complete Hugging Face folder (float32 weights, so a resumed run is exact). */
  public void save(Path dir) throws IOException {
    Checkpoint.save(dir, model, tokenizer, template, generationEos(), SafeTensors.Dtype.F32);
  }
}
