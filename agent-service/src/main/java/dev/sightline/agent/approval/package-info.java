/**
 * Human approval: declarative rules ({@code sightline.agent.approval.rules}) that pause a task before a matching
 * action until a person approves or rejects it through the API or the dashboard.
 */
@NullMarked
package dev.sightline.agent.approval;

import org.jspecify.annotations.NullMarked;
