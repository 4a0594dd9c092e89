package dev.sightline.agent.video;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.task.TaskStore;

/** The video feature's parts, wired from {@code sightline.video.*}. */
@Configuration(proxyBeanMethods = false)
class VideoConfiguration {

	@Bean
	TaskRecordings taskRecordings(TaskStore store) {
		return new TaskRecordings(store);
	}

	@Bean
	VideoQueryService videoQueryService(ModelBackend models, VideoSettings settings) {
		return new VideoQueryService(models, settings);
	}

	@Bean
	UploadedVideos uploadedVideos(VideoSettings settings) {
		return new UploadedVideos(settings);
	}

	@Bean
	RecordingExporter recordingExporter(VideoSettings settings) {
		return new RecordingExporter(settings);
	}

}
