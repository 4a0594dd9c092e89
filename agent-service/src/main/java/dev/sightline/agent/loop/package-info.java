/**
 * The agent loop: screenshot → smart-resize → prompt → model → parse (re-ask on garbage) → map → execute → record,
 * until terminate, the step limit, the time limit or a cancel.
 */
@NullMarked
package dev.sightline.agent.loop;

import org.jspecify.annotations.NullMarked;
