package dev.sightline.e2e.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart lints, renders for the default and the production-like values, every rendered manifest matches
 * the Kubernetes schema (strict fabric8 model, see {@link KubernetesManifests}), and the manifests wire what the
 * platform needs: images, actuator probes, GPU requests, security context, and references that resolve.
 */
class HelmChartTest {

	@TempDir
	static Path workDir;

	static HelmChart chart;

	static HelmChart.Rendered defaults;

	static HelmChart.Rendered production;

	static String appVersion;

	@BeforeAll
	static void render() throws Exception {
		chart = HelmChart.copyWithoutDependencies(workDir);
		appVersion = String.valueOf(HelmChart.chartYaml(chart.source()).get("appVersion"));
		defaults = chart.render("sightline", List.of(), Map.of());
		production = chart.render("prod", List.of(chart.source().resolve("values-production.yaml")), Map.of());
	}

	@Test
	void lintsWithoutWarningsInStrictMode() {
		LintResult lint = chart.lint();
		assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
		assertThat(lint.getMessages()).noneMatch((message) -> message.contains("[ERROR]") || message.contains("[WARNING]"));
	}

	@Test
	void declaresBitnamiRedisAsAConditionalDependency() throws Exception {
		List<Map<String, Object>> dependencies = (List<Map<String, Object>>) HelmChart.chartYaml(chart.source())
			.get("dependencies");
		assertThat(dependencies).singleElement().satisfies((redis) -> {
			assertThat(redis).containsEntry("name", "redis").containsEntry("condition", "redis.enabled");
			assertThat((String) redis.get("repository")).isEqualTo("oci://registry-1.docker.io/bitnamicharts");
			assertThat((String) redis.get("version")).matches("\\d+\\.[\\dx]+\\.[\\dx]+");
		});
	}

	@Test
	void rendersEveryComponentForDefaultValues() {
		assertThat(names(defaults, Deployment.class)).containsExactlyInAnyOrder("sightline-api", "sightline-worker",
				"sightline-model-server");
		assertThat(names(defaults, Service.class)).containsExactlyInAnyOrder("sightline-api", "sightline-model-server");
		assertThat(names(defaults, PodDisruptionBudget.class)).containsExactlyInAnyOrder("sightline-api",
				"sightline-worker");
		assertThat(names(defaults, HorizontalPodAutoscaler.class)).containsExactly("sightline-worker");
		assertThat(names(defaults, NetworkPolicy.class)).containsExactly("sightline-worker");
		assertThat(names(defaults, PersistentVolumeClaim.class)).containsExactly("sightline-model-cache");
		assertThat(names(defaults, Ingress.class)).isEmpty();
	}

	@Test
	void grantsNoKubernetesApiPermissions() {
		for (HelmChart.Rendered rendered : List.of(defaults, production)) {
			assertThat(rendered.resources()).extracting(HasMetadata::getKind)
				.doesNotContain("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");
			assertThat(rendered.all(ServiceAccount.class)).singleElement()
				.satisfies((account) -> assertThat(account.getAutomountServiceAccountToken()).isFalse());
			for (PodSpec pod : pods(rendered)) {
				assertThat(pod.getAutomountServiceAccountToken()).isFalse();
				assertThat(pod.getServiceAccountName()).isEqualTo(rendered.all(ServiceAccount.class).get(0)
					.getMetadata()
					.getName());
			}
		}
	}

	@Test
	void usesTheChartsAppVersionAsDefaultImageTag() {
		assertThat(container(defaults, "sightline-api").getImage())
			.isEqualTo("ghcr.io/sightline-dev/agent-service:" + appVersion);
		assertThat(container(defaults, "sightline-worker").getImage())
			.isEqualTo("ghcr.io/sightline-dev/agent-service:" + appVersion);
		assertThat(container(defaults, "sightline-model-server").getImage())
			.isEqualTo("ghcr.io/sightline-dev/model-server:" + appVersion);
		assertThat(container(production, "prod-sightline-api").getImage())
			.isEqualTo("registry.example.com/sightline/agent-service:0.1.0");
		assertThat(container(production, "prod-sightline-model-server").getImage())
			.isEqualTo("registry.example.com/sightline/model-server:0.1.0");
	}

	@Test
	void wiresAgentProbesToActuatorHealthGroups() {
		for (String deployment : List.of("sightline-api", "sightline-worker")) {
			Container container = container(defaults, deployment);
			assertThat(container.getPorts()).anySatisfy((port) -> {
				assertThat(port.getName()).isEqualTo("http");
				assertThat(port.getContainerPort()).isEqualTo(8080);
			});
			assertHttpProbe(container.getStartupProbe(), "/actuator/health/liveness");
			assertHttpProbe(container.getLivenessProbe(), "/actuator/health/liveness");
			assertHttpProbe(container.getReadinessProbe(), "/actuator/health/readiness");
		}
		Container model = container(defaults, "sightline-model-server");
		// The model server is a Spring Boot application too: the same actuator probe groups.
		assertHttpProbe(model.getStartupProbe(), "/actuator/health/liveness");
		assertHttpProbe(model.getLivenessProbe(), "/actuator/health/liveness");
		assertHttpProbe(model.getReadinessProbe(), "/actuator/health/readiness");
		assertThat(String.join(" ", model.getArgs())).contains("--host 0.0.0.0").contains("--port 8000");
		// Download and load may take many minutes: the start-up allowance must cover them.
		assertThat(model.getStartupProbe().getPeriodSeconds() * model.getStartupProbe().getFailureThreshold())
			.isGreaterThanOrEqualTo(600);
	}

	@Test
	void requestsOneGpuForTheModelServerOnGpuNodes() {
		Container model = container(defaults, "sightline-model-server");
		assertThat(model.getResources().getRequests()).containsEntry("nvidia.com/gpu", new Quantity("1"));
		assertThat(model.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
		PodSpec pod = pod(defaults, "sightline-model-server");
		assertThat(pod.getTolerations()).anySatisfy((toleration) -> assertThat(toleration.getKey()).isEqualTo("nvidia.com/gpu"));
		PodSpec productionPod = pod(production, "prod-sightline-model-server");
		assertThat(productionPod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
		assertThat(deployment(production, "prod-sightline-model-server").getSpec().getReplicas()).isEqualTo(2);
	}

	@Test
	void runsEveryContainerAsNonRootWithoutPrivileges() {
		for (HelmChart.Rendered rendered : List.of(defaults, production)) {
			for (PodSpec pod : pods(rendered)) {
				assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
				assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
				assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
				for (Container container : pod.getContainers()) {
					assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(container.getName()).isFalse();
					assertThat(container.getSecurityContext().getPrivileged()).as(container.getName()).isNotEqualTo(true);
					assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
					assertThat(container.getResources().getRequests()).as(container.getName()).containsKeys("cpu", "memory");
					assertThat(container.getResources().getLimits()).as(container.getName()).containsKey("memory");
				}
			}
		}
	}

	@Test
	void everyReferencedConfigMapSecretAndClaimExistsOrIsDeclaredExternal() {
		// Default values: the only outside object is the Bitnami subchart's Secret, not vendored here.
		assertReferencesResolve(defaults, Set.of("sightline" + HelmChart.SUBCHART_SECRET_SUFFIX), Set.of());
		// Production: Secrets and the cache claim come from the cluster, named in values-production.yaml.
		assertReferencesResolve(production, Set.of("sightline-credentials", "sightline-redis", "sightline-hf-token"),
				Set.of("sightline-model-cache"));
	}

	@Test
	void pointsAgentsAtTheRightRedisAndModelServer() {
		Map<String, String> config = defaults.one(ConfigMap.class, "sightline").getData();
		assertThat(config).containsEntry("SPRING_DATA_REDIS_HOST", "sightline-redis-master")
			.containsEntry("SIGHTLINE_MODE", "redis")
			.containsEntry("SIGHTLINE_MODEL_BACKEND", "openai")
			.containsEntry("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
		Service modelService = defaults.one(Service.class, "sightline-model-server");
		assertThat(config.get("SIGHTLINE_MODEL_BASE_URL")).isEqualTo("http://" + modelService.getMetadata().getName()
				+ ":" + modelService.getSpec().getPorts().get(0).getPort() + "/v1");
		assertThat(container(defaults, "sightline-worker").getEnv()).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("SIGHTLINE_ROLE");
			assertThat(env.getValue()).isEqualTo("worker");
		});
		assertThat(container(defaults, "sightline-api").getEnv()).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("SIGHTLINE_ROLE");
			assertThat(env.getValue()).isEqualTo("api");
		});

		Map<String, String> productionConfig = production.one(ConfigMap.class, "prod-sightline").getData();
		assertThat(productionConfig).containsEntry("SPRING_DATA_REDIS_HOST", "redis.prod.internal.example.com");
		assertThat(container(production, "prod-sightline-worker").getEnv()).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("SPRING_DATA_REDIS_PASSWORD");
			assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("sightline-redis");
			assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
		});
		// Secrets named by an existing Secret: the chart must not render one of its own with empty keys.
		assertThat(production.all(Secret.class)).isEmpty();
	}

	@Test
	void refusesToRenderWithoutAnyRedis(@TempDir Path otherDir) {
		HelmChart copy = HelmChart.copyWithoutDependencies(otherDir);
		assertThatThrownBy(() -> copy.render("sightline", List.of(), Map.of("redis.enabled", "false")))
			.hasMessageContaining("externalRedis.host is required");
	}

	@Test
	void generatesTheRedisSecretsKeyUnlessOneIsGivenAndRefusesAShortOne(@TempDir Path otherDir) {
		// No cluster here, so lookup finds no earlier Secret and a key is generated; on upgrades it is read back.
		assertThat(defaults.one(Secret.class, "sightline").getStringData().get("SIGHTLINE_REDIS_SECRETS_KEY"))
			.matches("[A-Za-z0-9]{48}");
		HelmChart copy = HelmChart.copyWithoutDependencies(otherDir);
		String given = "given-key-of-at-least-32-characters-0123";
		assertThat(copy.render("sightline", List.of(), Map.of("secrets.redisSecretsKey", given))
			.one(Secret.class, "sightline")
			.getStringData()).containsEntry("SIGHTLINE_REDIS_SECRETS_KEY", given);
		assertThatThrownBy(() -> copy.render("sightline", List.of(), Map.of("secrets.redisSecretsKey", "short")))
			.hasMessageContaining("secrets.redisSecretsKey must be at least 32 characters")
			.hasMessageContaining("got 5");
	}

	@Test
	void givesTheModelServerAndTheAgentsTheSameGeneratedKey() {
		// The model server listens on 0.0.0.0 and refuses to start without a key.
		String key = defaults.one(Secret.class, "sightline").getStringData().get("SIGHTLINE_MODEL_API_KEY");
		assertThat(key).matches("[A-Za-z0-9]{48}");
		assertThat(container(defaults, "sightline-model-server").getEnv()).anySatisfy(env -> {
			assertThat(env.getName()).isEqualTo("SIGHTLINE_MODEL_SERVER_API_KEY");
			assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("sightline");
			assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("SIGHTLINE_MODEL_API_KEY");
		});
	}

	@Test
	void rendersWithoutTheModelServerWhenAnotherEndpointIsNamed(@TempDir Path otherDir) {
		HelmChart copy = HelmChart.copyWithoutDependencies(otherDir);
		HelmChart.Rendered vllm = copy.render("sightline", List.of(),
				Map.of("modelServer.enabled", "false", "config.modelBaseUrl", "http://vllm:8000/v1"));
		assertThat(names(vllm, Deployment.class)).containsExactlyInAnyOrder("sightline-api", "sightline-worker");
		assertThat(names(vllm, PersistentVolumeClaim.class)).isEmpty();
		assertThat(vllm.one(ConfigMap.class, "sightline").getData()).containsEntry("SIGHTLINE_MODEL_BASE_URL",
				"http://vllm:8000/v1");
		assertThatThrownBy(() -> copy.render("sightline", List.of(), Map.of("modelServer.enabled", "false")))
			.hasMessageContaining("config.modelBaseUrl is required");
	}

	@Test
	void servicesSelectTheirPodsAndNamedPorts() {
		for (HelmChart.Rendered rendered : List.of(defaults, production)) {
			for (Service service : rendered.all(Service.class)) {
				List<Deployment> selected = rendered.all(Deployment.class)
					.stream()
					.filter((deployment) -> labelsMatch(service.getSpec().getSelector(),
							deployment.getSpec().getTemplate().getMetadata().getLabels()))
					.toList();
				assertThat(selected).as(service.getMetadata().getName()).hasSize(1);
				Set<String> portNames = selected.get(0)
					.getSpec()
					.getTemplate()
					.getSpec()
					.getContainers()
					.stream()
					.flatMap((container) -> container.getPorts().stream())
					.map((port) -> port.getName())
					.collect(Collectors.toSet());
				service.getSpec()
					.getPorts()
					.forEach((port) -> assertThat(portNames).contains(port.getTargetPort().getStrVal()));
			}
		}
	}

	@Test
	void scalesWorkersWithAnHpaOnCpuAndOptionallyQueueDepth() {
		HorizontalPodAutoscaler hpa = defaults.one(HorizontalPodAutoscaler.class, "sightline-worker");
		assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("sightline-worker");
		assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
		assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies((metric) -> {
			assertThat(metric.getResource().getName()).isEqualTo("cpu");
			assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
		});
		// The HPA owns the replica count: a fixed one in the Deployment would fight it on every upgrade.
		assertThat(deployment(defaults, "sightline-worker").getSpec().getReplicas()).isNull();

		HorizontalPodAutoscaler productionHpa = production.one(HorizontalPodAutoscaler.class, "prod-sightline-worker");
		assertThat(productionHpa.getSpec().getMetrics()).extracting((metric) -> metric.getType())
			.containsExactly("Resource", "External");
		assertThat(productionHpa.getSpec().getMetrics().get(1).getExternal().getMetric().getName())
			.isEqualTo("sightline_queue_pending_tasks");
	}

	@Test
	void limitsWorkerEgressAndAdmitsNoIngress() {
		for (HelmChart.Rendered rendered : List.of(defaults, production)) {
			String worker = rendered.releaseName().equals("sightline") ? "sightline-worker" : "prod-sightline-worker";
			NetworkPolicy policy = rendered.one(NetworkPolicy.class, worker);
			assertThat(labelsMatch(policy.getSpec().getPodSelector().getMatchLabels(),
					deployment(rendered, worker).getSpec().getTemplate().getMetadata().getLabels()))
				.isTrue();
			assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
			assertThat(policy.getSpec().getIngress()).isEmpty();
			List<NetworkPolicyEgressRule> web = policy.getSpec()
				.getEgress()
				.stream()
				.filter((rule) -> rule.getTo().stream().anyMatch((peer) -> peer.getIpBlock() != null
						&& "0.0.0.0/0".equals(peer.getIpBlock().getCidr())))
				.toList();
			assertThat(web).singleElement().satisfies((rule) -> {
				assertThat(rule.getTo().get(0).getIpBlock().getExcept()).contains("169.254.0.0/16", "10.0.0.0/8");
				assertThat(rule.getPorts()).extracting((port) -> port.getPort().getIntVal()).containsExactly(80, 443);
			});
		}
	}

	@Test
	void givesChromiumSharedMemoryInWorkers() {
		PodSpec pod = pod(defaults, "sightline-worker");
		assertThat(pod.getVolumes()).anySatisfy((volume) -> {
			assertThat(volume.getEmptyDir().getMedium()).isEqualTo("Memory");
			assertThat(container(defaults, "sightline-worker").getVolumeMounts())
				.anySatisfy((mount) -> assertThat(mount.getName() + mount.getMountPath())
					.isEqualTo(volume.getName() + "/dev/shm"));
		});
	}

	@Test
	void budgetsDisruptionsForApiAndWorkers() {
		for (String name : List.of("prod-sightline-api", "prod-sightline-worker")) {
			PodDisruptionBudget budget = production.one(PodDisruptionBudget.class, name);
			assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
			assertThat(labelsMatch(budget.getSpec().getSelector().getMatchLabels(),
					deployment(production, name).getSpec().getTemplate().getMetadata().getLabels()))
				.isTrue();
		}
	}

	@Test
	void exposesTheApiThroughAnOptionalIngress() {
		Ingress ingress = production.one(Ingress.class, "prod-sightline");
		assertThat(ingress.getSpec().getRules()).singleElement().satisfies((rule) -> {
			assertThat(rule.getHost()).isEqualTo("sightline.example.com");
			String backend = rule.getHttp().getPaths().get(0).getBackend().getService().getName();
			assertThat(names(production, Service.class)).contains(backend);
		});
		assertThat(ingress.getSpec().getTls()).singleElement()
			.satisfies((tls) -> assertThat(tls.getSecretName()).isEqualTo("sightline-tls"));
	}

	private static void assertReferencesResolve(HelmChart.Rendered rendered, Set<String> externalSecrets,
			Set<String> externalClaims) {
		Set<String> configMaps = Set.copyOf(names(rendered, ConfigMap.class));
		Set<String> secrets = Set.copyOf(names(rendered, Secret.class));
		Set<String> claims = Set.copyOf(names(rendered, PersistentVolumeClaim.class));
		for (PodSpec pod : pods(rendered)) {
			PodReferences references = PodReferences.of(pod);
			assertThat(configMaps).containsAll(references.configMaps());
			for (String secret : references.secrets()) {
				assertThat(secrets.contains(secret) || externalSecrets.contains(secret))
					.as("Secret %s is neither rendered nor declared external", secret)
					.isTrue();
			}
			for (String claim : references.claims()) {
				assertThat(claims.contains(claim) || externalClaims.contains(claim))
					.as("PersistentVolumeClaim %s is neither rendered nor declared external", claim)
					.isTrue();
			}
		}
	}

	private static void assertHttpProbe(Probe probe, String path) {
		assertThat(probe).isNotNull();
		assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
		assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
	}

	private static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
		return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
	}

	private static List<String> names(HelmChart.Rendered rendered, Class<? extends HasMetadata> type) {
		return rendered.all(type).stream().map((resource) -> resource.getMetadata().getName()).toList();
	}

	private static List<PodSpec> pods(HelmChart.Rendered rendered) {
		return rendered.all(Deployment.class)
			.stream()
			.map(Deployment::getSpec)
			.map((spec) -> spec.getTemplate())
			.map(PodTemplateSpec::getSpec)
			.toList();
	}

	private static Deployment deployment(HelmChart.Rendered rendered, String name) {
		return rendered.one(Deployment.class, name);
	}

	private static PodSpec pod(HelmChart.Rendered rendered, String deployment) {
		return deployment(rendered, deployment).getSpec().getTemplate().getSpec();
	}

	private static Container container(HelmChart.Rendered rendered, String deployment) {
		return pod(rendered, deployment).getContainers().get(0);
	}

}
