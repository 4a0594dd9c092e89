package dev.sightline.e2e.deploy;

import java.util.LinkedHashSet;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;

/** The ConfigMaps, Secrets and claims a pod spec refers to by name: what must exist before the pod can start. */
record PodReferences(Set<String> configMaps, Set<String> secrets, Set<String> claims) {

	static PodReferences of(PodSpec pod) {
		Set<String> configMaps = new LinkedHashSet<>();
		Set<String> secrets = new LinkedHashSet<>();
		Set<String> claims = new LinkedHashSet<>();
		for (Container container : pod.getContainers()) {
			for (EnvFromSource source : container.getEnvFrom()) {
				if (source.getConfigMapRef() != null && !Boolean.TRUE.equals(source.getConfigMapRef().getOptional())) {
					configMaps.add(source.getConfigMapRef().getName());
				}
				if (source.getSecretRef() != null && !Boolean.TRUE.equals(source.getSecretRef().getOptional())) {
					secrets.add(source.getSecretRef().getName());
				}
			}
			for (EnvVar env : container.getEnv()) {
				if (env.getValueFrom() == null) {
					continue;
				}
				if (env.getValueFrom().getConfigMapKeyRef() != null) {
					configMaps.add(env.getValueFrom().getConfigMapKeyRef().getName());
				}
				if (env.getValueFrom().getSecretKeyRef() != null) {
					secrets.add(env.getValueFrom().getSecretKeyRef().getName());
				}
			}
		}
		for (Volume volume : pod.getVolumes()) {
			if (volume.getConfigMap() != null) {
				configMaps.add(volume.getConfigMap().getName());
			}
			if (volume.getSecret() != null) {
				secrets.add(volume.getSecret().getSecretName());
			}
			if (volume.getPersistentVolumeClaim() != null) {
				claims.add(volume.getPersistentVolumeClaim().getClaimName());
			}
		}
		pod.getImagePullSecrets().stream().map(LocalObjectReference::getName).forEach(secrets::add);
		return new PodReferences(Set.copyOf(configMaps), Set.copyOf(secrets), Set.copyOf(claims));
	}

}
