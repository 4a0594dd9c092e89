package dev.sightline.modelserver;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /metrics} (Prometheus text: the scheduler's metrics, then the platform's — JVM, Tomcat, HTTP requests —
 * from Boot's Micrometer registry) and {@code GET /health} (the model's queue at a glance; the actuator's
 * {@code /actuator/health/liveness} and {@code /readiness} are the Kubernetes probes).
 */
@RestController
final class OperationsController {

	private static final MediaType PROMETHEUS_TEXT = MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8");

	private final ServedModel served;

	private final ObjectProvider<PrometheusMeterRegistry> platform;

	OperationsController(ServedModel served, ObjectProvider<PrometheusMeterRegistry> platform) {
		this.served = served;
		this.platform = platform;
	}

	@GetMapping("/metrics")
	ResponseEntity<byte[]> metrics() {
		StringBuilder text = new StringBuilder(served.metrics().scrape());
		platform.ifAvailable(registry -> text.append(registry.scrape()));
		return ResponseEntity.ok().contentType(PROMETHEUS_TEXT).body(text.toString().getBytes(StandardCharsets.UTF_8));
	}

	@GetMapping("/health")
	ResponseEntity<byte[]> health() throws JacksonException {
		ObjectNode body = OpenAiResponses.JSON.createObjectNode();
		body.put("status", "UP");
		body.put("model", served.modelName());
		body.put("queued", served.scheduler().queueDepth());
		body.put("running", served.scheduler().running());
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(OpenAiResponses.JSON.writeValueAsBytes(body));
	}

}
