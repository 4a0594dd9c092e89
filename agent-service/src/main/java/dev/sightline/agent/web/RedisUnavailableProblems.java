package dev.sightline.agent.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.sightline.agent.redis.RedisConfiguration;

/**
 * Redis unreachable or too slow answers 503 problem+json with Retry-After, not 500: the request did nothing (the
 * store's writes are single scripts), so the client may simply retry. Active in Redis mode only; here because the web
 * layer alone turns failures into HTTP answers.
 */
@RestControllerAdvice
@ConditionalOnProperty(name = RedisConfiguration.MODE, havingValue = RedisConfiguration.REDIS)
@Order(Ordered.HIGHEST_PRECEDENCE)
class RedisUnavailableProblems {

	static final int RETRY_AFTER_SECONDS = 5;

	private static final Logger log = LoggerFactory.getLogger(RedisUnavailableProblems.class);

	@ExceptionHandler({ DataAccessResourceFailureException.class, QueryTimeoutException.class })
	ResponseEntity<ProblemDetail> redisUnavailable(RuntimeException e) {
		log.warn("Redis unavailable: {}", e.toString());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"the shared store (Redis, spring.data.redis.*) is unreachable or did not answer in time: "
						+ e.getMessage() + "; nothing was changed, retry in " + RETRY_AFTER_SECONDS + " s");
		problem.setTitle("Store unavailable");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS))
			.body(problem);
	}

}
