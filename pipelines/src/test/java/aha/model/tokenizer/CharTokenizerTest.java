package aha.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharTokenizerTest {
  static final String ALPHABET = "0123456789+-*/=() \nabcdefghijklmnopqrstuvwxyz.,?";

  @Test
  void roundTripsTextWithTagsAndChatTokens(@TempDir Path dir) throws Exception {
    try (TextTokenizer t = TextTokenizer.chars(ALPHABET, CharTokenizerJson.REASONING_TAGS, null)) {
      String text =
          "<|im_start|>user\n12+30=?<|im_end|>\n<think>so 42.</think> <answer>42</answer>";
      long[] ids = t.encode(text);
      // 3 specials + <unk> = ids 0..3, then the 4 tags 4..7, then the alphabet from 8
      assertThat(ids[0]).isEqualTo(1); // <|im_start|> is one token
      assertThat(ids[1]).isEqualTo(8 + ALPHABET.indexOf('u'));
      assertThat(t.tokenId("<think>")).isEqualTo(4);
      assertThat(t.tokenId("</answer>")).isEqualTo(7);
      assertThat(t.vocabSize()).isEqualTo(8 + ALPHABET.length());
      assertThat(t.decode(ids, false)).isEqualTo(text);
      // special tokens are dropped, the reasoning tags stay
      assertThat(t.decode(ids, true))
          .isEqualTo("user\n12+30=?\n<think>so 42.</think> <answer>42</answer>");
      // every character outside the tags is one token
      long[] plain = t.encode("ab 9\n");
      assertThat(plain).hasSize(5);
      assertThat(t.eosToken()).isEqualTo("<|im_end|>");
      assertThat(t.tokenId(t.eosToken())).isEqualTo(2);
      assertThat(t.tokenId(t.padToken())).isEqualTo(0);

      // written and read back through files, with the same ids
      t.save(dir, "TEMPLATE");
      assertThat(Files.readString(dir.resolve("tokenizer_config.json")))
          .contains("\"chat_template\" : \"TEMPLATE\"");
      try (TextTokenizer back = TextTokenizer.load(dir)) {
        assertThat(back.encode(text)).containsExactly(ids);
        assertThat(back.chatTemplate()).isEqualTo("TEMPLATE");
        assertThat(back.eosToken()).isEqualTo("<|im_end|>");
      }
    }
  }

  @Test
  void charactersOutsideTheAlphabetAreDroppedAsQwen2TokenizerDoes() {
    // transformers 5 rebuilds a qwen2 folder's tokenizer as byte-level BPE without an unk token
    try (TextTokenizer t = TextTokenizer.chars("ab", CharTokenizerJson.REASONING_TAGS, null)) {
      assertThat(t.encode("aZb")).containsExactly(t.tokenId("a"), t.tokenId("b"));
    }
  }

  @Test
  void aMultiByteCharacterIsStillOneToken() {
    String alphabet = "a \u221a\u00d7\u00e9\u221e"; // a, space, √, ×, é, ∞ (√ and ∞ share two bytes)
    try (TextTokenizer t = TextTokenizer.chars(alphabet, CharTokenizerJson.REASONING_TAGS, null)) {
      String text = "\u221a\u00d7a \u221e\u00e9";
      long[] ids = t.encode(text);
      assertThat(ids).hasSize(6);
      // the alphabet keeps ids 8.. in order, the byte pieces come after it
      assertThat(ids[0]).isEqualTo(8 + 2);
      assertThat(ids[3]).isEqualTo(8 + 1);
      assertThat(ids[4]).isEqualTo(8 + 5);
      assertThat(t.decode(ids, false)).isEqualTo(text);
      assertThat(t.vocabSize()).isGreaterThan(8 + alphabet.length());
    }
  }

  @Test
  void spacesAndNewlinesUseTheirByteLevelSpelling() {
    assertThat(CharTokenizerJson.byteLevel(" \n\t")).isEqualTo("\u0120\u010a\u0109");
    assertThat(CharTokenizerJson.byteLevel("az!~")).isEqualTo("az!~");
  }

  @Test
  void objectValuedSpecialTokensAreRead(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("tokenizer.json"),
        CharTokenizerJson.build("ab", java.util.List.of("<s>", "</s>"), java.util.List.of()));
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<s>\"}, \"eos_token\": {\"content\": \"</s>\"},"
            + " \"chat_template\": [{\"name\": \"default\", \"template\": \"T\"}]}");
    try (TextTokenizer t = TextTokenizer.load(dir)) {
      assertThat(t.bosToken()).isEqualTo("<s>");
      assertThat(t.tokenId(t.eosToken())).isEqualTo(1);
      assertThat(t.chatTemplate()).isEqualTo("T");
    }
  }
}
