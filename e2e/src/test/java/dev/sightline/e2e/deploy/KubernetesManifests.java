package dev.sightline.e2e.deploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;

/**
 * Parses multi-document Kubernetes YAML into fabric8's typed Kubernetes model, strictly: an unknown field, a value
 * of the wrong type or an unknown kind is an error, as the API server's strict field validation would report.
 * <p>
 * fabric8's model is generated from the Kubernetes OpenAPI schema and maintained with each Kubernetes release; its
 * classes normally keep unknown fields in an {@code additionalProperties} map. Removing that any-setter makes the
 * generated schema classes the validator, instead of a hand-written list of fields.
 */
final class KubernetesManifests {

	private static final ObjectMapper YAML = new YAMLMapper();

	private static final ObjectMapper STRICT = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.addModule(new SimpleModule("strict-kubernetes").setDeserializerModifier(new NoAnySetter()))
		.build();

	private KubernetesManifests() {
	}

	/** Every non-empty document of {@code yaml}, as typed resources in document order. */
	static List<HasMetadata> parse(String yaml) {
		List<HasMetadata> resources = new ArrayList<>();
		List<JsonNode> documents;
		try {
			documents = YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll();
		}
		catch (IOException ex) {
			throw new InvalidManifestException("rendered output is not valid YAML: " + ex.getMessage(), ex);
		}
		int index = 0;
		for (JsonNode document : documents) {
			index++;
			if (document == null || document.isNull() || document.isMissingNode() || document.isEmpty()) {
				continue;
			}
			resources.add(parseDocument(index, document));
		}
		return resources;
	}

	private static HasMetadata parseDocument(int index, JsonNode document) {
		String where = "document " + index + " (" + document.path("kind").asText("?") + " "
				+ document.path("metadata").path("name").asText("?") + ")";
		KubernetesResource resource;
		try {
			resource = STRICT.treeToValue(document, KubernetesResource.class);
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new InvalidManifestException(where + " does not match the Kubernetes schema: "
					+ ex.getMessage().lines().findFirst().orElse(""), ex);
		}
		if (resource instanceof GenericKubernetesResource || !(resource instanceof HasMetadata typed)) {
			throw new InvalidManifestException(where + " has apiVersion/kind " + document.path("apiVersion").asText()
					+ "/" + document.path("kind").asText() + ", which is not a built-in Kubernetes kind", null);
		}
		if (typed.getMetadata() == null || typed.getMetadata().getName() == null) {
			throw new InvalidManifestException(where + " has no metadata.name", null);
		}
		return typed;
	}

	/** Drops the any-setter of every bean so that unknown fields fail instead of landing in a map. */
	private static final class NoAnySetter extends BeanDeserializerModifier {

		@Override
		public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription beanDesc,
				BeanDeserializerBuilder builder) {
			builder.setAnySetter(null);
			return builder;
		}

	}

}
