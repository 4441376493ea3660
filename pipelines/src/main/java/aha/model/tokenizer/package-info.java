/** Tokenizers: Hugging Face tokenizer.json through DJL, and a character-level builder. */
package aha.model.tokenizer;
