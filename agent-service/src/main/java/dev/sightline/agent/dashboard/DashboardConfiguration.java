package dev.sightline.agent.dashboard;

import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.sightline.agent.security.ApiKeys;

/** Wires the dashboard's guard, its session access to the API and its session cookie. */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration implements WebMvcConfigurer {

	/** Every dashboard page; the API, actuator, Swagger and static assets are not pages. */
	static final String[] PAGES = { "/", "/login", "/logout", "/tasks", "/tasks/**", "/playground", "/system",
			"/system/**" };

	private final ApiKeys keys;

	DashboardConfiguration(ApiKeys keys) {
		this.keys = keys;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new DashboardAccess(keys)).addPathPatterns(PAGES);
	}

	/** Runs before the tenant filter ({@code HIGHEST_PRECEDENCE + 10}) so it can hand over the session's tenant. */
	@Bean
	FilterRegistrationBean<SessionApiFilter> sessionApiFilter() {
		FilterRegistrationBean<SessionApiFilter> registration = new FilterRegistrationBean<>(new SessionApiFilter());
		registration.addUrlPatterns("/api/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		return registration;
	}

	/** Lax: links from elsewhere still open the dashboard, but other sites' POSTs carry no session. */
	@Bean
	CookieSameSiteSupplier dashboardSessionCookieSameSite() {
		return CookieSameSiteSupplier.ofLax().whenHasName("JSESSIONID");
	}

}
