/**
 * Redis mode ({@code sightline.mode=redis}): the store, work queue and live events of several replicas shared through
 * one Redis, with crash recovery by Redis Streams consumer groups. Nothing here is loaded in embedded mode.
 */
@NullMarked
package dev.sightline.agent.redis;

import org.jspecify.annotations.NullMarked;
