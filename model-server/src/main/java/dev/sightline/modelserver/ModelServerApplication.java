package dev.sightline.modelserver;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The model server's Spring Boot application: MVC controllers for the OpenAI API, Spring Security for the key,
 * actuator for the probes, Micrometer for metrics. Started by {@link ModelServer#start}, which supplies the
 * {@link ServedModel} bean and every property (the command line is the configuration).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ ChatCompletionController.class, ModelsController.class, OperationsController.class, ApiErrors.class,
		ApiKeySecurity.class })
class ModelServerApplication {

}
