/**
 * Video understanding: questions and moment localisation over task recordings, uploaded video files and timed
 * frames ({@code POST /api/v1/video/query}), and export of a task's recording as a video file.
 */
@NullMarked
package dev.sightline.agent.video;

import org.jspecify.annotations.NullMarked;
