/**
 * Which Qwen2.5-VL answers: the in-process runtime or an OpenAI-compatible endpoint through Spring AI, behind one
 * {@link dev.sightline.agent.model.ModelBackend} that also says whether it is ready and, if not, why and how to fix it.
 */
@NullMarked
package dev.sightline.agent.model;

import org.jspecify.annotations.NullMarked;
