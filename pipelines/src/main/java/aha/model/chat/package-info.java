/** Chat templates: ChatML (Qwen), DeepSeek-R1, and a tokenizer's own Jinja template. */
package aha.model.chat;
