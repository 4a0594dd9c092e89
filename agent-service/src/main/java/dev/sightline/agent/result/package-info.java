/**
 * Structured task results ({@code output: {"schema", "instructions"}}): the schema is checked when the task is
 * submitted, the model is asked for the result once the task succeeded, the answer is validated against the schema
 * (re-asked with the validator's messages) and kept with the task as its {@code result} event.
 */
@NullMarked
package dev.sightline.agent.result;

import org.jspecify.annotations.NullMarked;
