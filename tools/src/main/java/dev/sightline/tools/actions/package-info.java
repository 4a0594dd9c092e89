/** The agent's action vocabulary: the computer_use actions Qwen2.5-VL emits plus browser navigation. */
@NullMarked
package dev.sightline.tools.actions;

import org.jspecify.annotations.NullMarked;
