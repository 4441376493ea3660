/**
 * The student model: the Qwen2 / Llama decoder in DJL NDArray ops (PyTorch engine, CPU, float32),
 * with Hugging Face checkpoint folders, tokenizers, chat templates, batched generation and scoring.
 *
 * <ul>
 *   <li>{@link aha.model.ModelConfig}: config.json, real key names, read and written.
 *   <li>{@link aha.model.CausalLM}: the decoder as functions over a parameter map keyed by HF
 *       tensor names. {@code forward(ids, mask, cache)} gives logits (batch, seq, vocab); {@code
 *       tokenLogProbs(ids, mask)} gives (batch, seq-1) log-probs of each next token,
 *       differentiable, for SFT and GRPO; {@code score} is the no-grad batched version (contract
 *       6); {@code randomInit(config, seed)} for tiny recipes; {@code parameters()} are the live
 *       weights.
 *   <li>{@link aha.model.Checkpoint}: load and save model folders (contract 4); {@link
 *       aha.model.SafeTensors} reads F32/F16/BF16 and writes F32/BF16.
 *   <li>{@link aha.model.Generator}: left-padded batched sampling with a {@link aha.model.KvCache};
 *       {@link aha.model.SamplingParams} (temperature, top-k, top-p, min-p, seed, stop strings);
 *       returns {@link aha.model.Completion}s.
 *   <li>{@link aha.model.tokenizer}: DJL's Hugging Face tokenizer plus tokenizer_config.json, and
 *       the character-level tokenizer.json builder.
 *   <li>{@link aha.model.chat}: ChatML, DeepSeek-R1 and Jinjava-rendered templates.
 * </ul>
 *
 * <p>Memory: results of NDArray ops attach to their first operand's manager (mostly the
 * parameters'), so wrap every forward/backward in an {@code NDScope}; create optimizer state
 * outside it; PyTorch accumulates gradients, so zero them after each update.
 */
package aha.model;
