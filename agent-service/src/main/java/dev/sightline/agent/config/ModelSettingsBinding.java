package dev.sightline.agent.config;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;

import dev.sightline.vision.weights.ComputeType;

/**
 * Binds {@link ModelSettings}' enums from the strings users write ({@code in-process}, {@code auto-gpu}) with a
 * message that names the key and the allowed values; Boot's own enum conversion would only say "No enum constant".
 */
@Configuration(proxyBeanMethods = false)
public class ModelSettingsBinding {

	@Bean
	@ConfigurationPropertiesBinding
	static BackendConverter modelBackendConverter() {
		return new BackendConverter();
	}

	@Bean
	@ConfigurationPropertiesBinding
	static ComputeTypeConverter modelComputeTypeConverter() {
		return new ComputeTypeConverter();
	}

	static final class BackendConverter implements Converter<String, ModelSettings.Backend> {

		@Override
		public ModelSettings.Backend convert(String source) {
			return ModelSettings.Backend.parse(source);
		}

	}

	static final class ComputeTypeConverter implements Converter<String, ComputeType> {

		@Override
		public ComputeType convert(String source) {
			return ComputeType.parse(source);
		}

	}

}
