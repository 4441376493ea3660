/**
 * Supervised fine-tuning of the student on the filtered teacher traces (the distillation step of
 * the R1 recipe): {@link aha.sft.SftSpec} ({@code type: sft}), {@link aha.sft.SftStage}, and the
 * pure pieces it is made of — {@link aha.sft.ExampleEncoder} (chat template, labels on assistant
 * tokens, EOS), {@link aha.sft.Batches} (held-out split, packing, length-grouped batches), {@link
 * aha.sft.LrSchedule}, {@link aha.sft.AdamW}, {@link aha.sft.TrainCheckpoints} — put together in
 * the loop of {@link aha.sft.SftTrainer}.
 */
package aha.sft;
