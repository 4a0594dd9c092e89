/**
 * The web dashboard: tasks list and submit form, live task detail, replay with the action drawn, grounding playground
 * and system page. Server-rendered (Thymeleaf, htmx, a little plain JS); browsers log in with an API key and get a
 * session cookie whose unsafe requests carry a CSRF token.
 */
@NullMarked
package dev.sightline.agent.dashboard;

import org.jspecify.annotations.NullMarked;
