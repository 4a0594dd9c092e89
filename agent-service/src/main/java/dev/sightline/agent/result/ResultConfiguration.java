package dev.sightline.agent.result;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.task.SubmitCheck;
import dev.sightline.agent.task.TaskStore;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResultSettings.class)
public class ResultConfiguration {

	@Bean
	ResultAsker resultAsker(TaskStore store, TaskEvents events, ModelBackend models, SecretVault secrets,
			AgentSettings settings, ResultSettings resultSettings, JsonMapper json) {
		return new ResultAsker(store, events, models, secrets, settings, resultSettings, new ResultSchemas(), json);
	}

	/** A result schema is checked against its size and depth limits at submit. */
	@Bean
	SubmitCheck resultSchemaCheck() {
		ResultSchemas schemas = new ResultSchemas();
		return (tenant, request) -> {
			if (request.output() != null) {
				schemas.check(request.output().schema());
			}
		};
	}

	@Bean
	TaskResults taskResults(TaskStore store, JsonMapper json) {
		return new TaskResults(store, json);
	}

}
