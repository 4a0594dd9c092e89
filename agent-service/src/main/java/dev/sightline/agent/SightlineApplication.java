package dev.sightline.agent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Sightline agent service: task API, agent loop, store and dashboard in one Spring Boot app. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class SightlineApplication {

	public static void main(String[] args) {
		SpringApplication.run(SightlineApplication.class, args);
	}

}
