/**
 * Clients for a Qwen2.5-VL served elsewhere: {@link dev.sightline.tools.model.OpenAiVisionModel} speaks the OpenAI
 * chat-completions API on the JDK's HttpClient and Jackson, shared by the agent service, the eval harness and the
 * Playwright test library.
 */
@NullMarked
package dev.sightline.tools.model;

import org.jspecify.annotations.NullMarked;
