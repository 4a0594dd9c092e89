package dev.sightline.agent.files;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sightline.agent.task.TaskStore;

/** A task's input and output files, kept by the task store. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FileSettings.class)
public class FilesConfiguration {

	@Bean
	TaskFiles taskFiles(TaskStore store, FileSettings settings) {
		return new TaskFiles(store, settings);
	}

}
