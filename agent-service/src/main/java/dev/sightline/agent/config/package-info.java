/** Typed settings of the service, one {@code @ConfigurationProperties} record per prefix. */
@NullMarked
package dev.sightline.agent.config;

import org.jspecify.annotations.NullMarked;
