/** The system prompt that declares the computer_use tool as Qwen2.5-VL was trained to see it. */
@NullMarked
package dev.sightline.tools.prompt;

import org.jspecify.annotations.NullMarked;
