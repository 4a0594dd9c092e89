package dev.sightline.e2e.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strict schema check accepts valid manifests and names what is wrong with invalid ones. */
class KubernetesManifestsTest {

	@Test
	void parsesValidManifestsIntoTypedResourcesSkippingEmptyDocuments() throws IOException {
		List<HasMetadata> resources = KubernetesManifests.parse(resource("deployment-valid.yaml"));
		assertThat(resources).hasExactlyElementsOfTypes(Deployment.class, Service.class);
		Deployment deployment = (Deployment) resources.get(0);
		assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
		assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
			.containsEntry("nvidia.com/gpu", new Quantity("1"));
	}

	@Test
	void rejectsAMisspelledFieldNamingTheDocumentAndTheField() {
		assertThatThrownBy(() -> KubernetesManifests.parse(resource("deployment-misspelled-field.yaml")))
			.isInstanceOf(InvalidManifestException.class)
			.hasMessageContaining("document 1 (Deployment web)")
			.hasMessageContaining("runAsNonRot");
	}

	@Test
	void rejectsAValueOfTheWrongType() {
		assertThatThrownBy(() -> KubernetesManifests.parse(resource("deployment-wrong-type.yaml")))
			.isInstanceOf(InvalidManifestException.class)
			.hasMessageContaining("does not match the Kubernetes schema")
			.hasMessageContaining("two");
	}

	@Test
	void rejectsAKindKubernetesDoesNotHave() {
		assertThatThrownBy(() -> KubernetesManifests.parse(resource("unknown-kind.yaml")))
			.isInstanceOf(InvalidManifestException.class)
			.hasMessageContaining("Deploymnet");
	}

	@Test
	void rejectsAResourceWithoutAName() {
		assertThatThrownBy(() -> KubernetesManifests.parse("apiVersion: v1\nkind: ConfigMap\ndata: {}\n"))
			.isInstanceOf(InvalidManifestException.class)
			.hasMessageContaining("no metadata.name");
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream("/deploy/" + name)) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
