package dev.sightline.e2e.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart at {@code helm/sightline}, linted and rendered with Helm's own Go code (helm-java, no helm binary).
 * <p>
 * The Bitnami Redis dependency cannot be fetched here (no registry but Maven Central), and nothing is vendored:
 * the chart is copied to a temporary folder with its {@code dependencies} removed, which is exactly what Helm
 * renders for this chart's own templates. The subchart's resources are absent from the output; a Secret it
 * creates is therefore an expected external reference, see {@link #SUBCHART_SECRET_SUFFIX}.
 */
final class HelmChart {

	/** Kubernetes version the chart is rendered for: a current release inside Chart.yaml's kubeVersion range. */
	static final String KUBE_VERSION = "1.31.0";

	/** The Bitnami Redis subchart's Secret is named RELEASE-redis (or RELEASE when it already says redis). */
	static final String SUBCHART_SECRET_SUFFIX = "-redis";

	private final Path source;

	private final Path copy;

	private HelmChart(Path source, Path copy) {
		this.source = source;
		this.copy = copy;
	}

	/** Copies the repository's chart without its dependencies into {@code workDir}. */
	static HelmChart copyWithoutDependencies(Path workDir) {
		Path source = RepositoryRoot.resolve("helm/sightline");
		Path copy = workDir.resolve("sightline");
		try (Stream<Path> files = Files.walk(source)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Path target = copy.resolve(source.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target);
				}
			}
			Map<String, Object> chart = chartYaml(source);
			chart.remove("dependencies");
			DumperOptions options = new DumperOptions();
			options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
			Files.writeString(copy.resolve("Chart.yaml"), new Yaml(options).dump(chart));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new HelmChart(source, copy);
	}

	/** Chart.yaml of the repository's chart, as written (dependencies included). */
	static Map<String, Object> chartYaml(Path chartDir) throws IOException {
		return new Yaml().load(Files.readString(chartDir.resolve("Chart.yaml")));
	}

	Path source() {
		return this.source;
	}

	LintResult lint() {
		return new Helm(this.copy).lint().strict().call();
	}

	/** Renders with the chart's default values plus {@code values} files (in order) and {@code --set} pairs. */
	Rendered render(String releaseName, List<Path> valuesFiles, Map<String, String> sets) {
		TemplateCommand template = new Helm(this.copy).template()
			.withName(releaseName)
			.withNamespace("sightline")
			.withKubeVersion(KUBE_VERSION);
		valuesFiles.forEach(template::withValuesFile);
		sets.forEach(template::set);
		String yaml = template.call();
		return new Rendered(releaseName, yaml, KubernetesManifests.parse(yaml));
	}

	/** Helm's output and the typed resources parsed from it. */
	record Rendered(String releaseName, String yaml, List<HasMetadata> resources) {

		<T extends HasMetadata> List<T> all(Class<T> type) {
			return this.resources.stream().filter(type::isInstance).map(type::cast).toList();
		}

		<T extends HasMetadata> T one(Class<T> type, String name) {
			return all(type).stream()
				.filter((resource) -> resource.getMetadata().getName().equals(name))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " in "
						+ this.resources.stream().map((r) -> r.getKind() + "/" + r.getMetadata().getName()).toList()));
		}

	}

}
