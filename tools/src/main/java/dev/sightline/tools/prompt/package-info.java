/**
 * Every prompt Sightline writes, in each model family's own form: the computer_use tool as Qwen2.5-VL/Qwen3-VL were
 * trained to see it ({@link dev.sightline.tools.prompt.ComputerUsePrompt}), UI-TARS's templates
 * ({@link dev.sightline.tools.prompt.UiTarsPrompt}), the agent's append-only conversation
 * ({@link dev.sightline.tools.prompt.AgentConversation}) and the one-shot questions of grounding, judging and
 * extracting ({@link dev.sightline.tools.prompt.Prompts}). Rendering a conversation with the checkpoint's chat template
 * stays in vision-runtime.
 */
@NullMarked
package dev.sightline.tools.prompt;

import org.jspecify.annotations.NullMarked;
