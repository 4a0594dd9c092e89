package dev.sightline.agent.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A byte limit on every request body, counted as the body is read: a declared {@code Content-Length} above the limit
 * is refused at once, and a chunked body (no length) fails on the first byte past the limit with a
 * {@link RequestBodyTooLargeException}, which the API answers as 413. Multipart uploads and form posts are parsed by
 * the servlet container, which applies {@code spring.servlet.multipart.*} and {@code server.tomcat.max-http-form-post-size}
 * while streaming.
 */
final class BodyLimitFilter extends OncePerRequestFilter {

	private final long maxBytes;

	private final Problems problems;

	BodyLimitFilter(long maxBytes, Problems problems) {
		this.maxBytes = maxBytes;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > maxBytes) {
			problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "Request too large", "request body has "
					+ request.getContentLengthLong() + " bytes, more than the limit of " + maxBytes + " bytes");
			return;
		}
		try {
			chain.doFilter(new Limited(request, maxBytes), response);
		}
		catch (ServletException | IOException | RuntimeException e) {
			RequestBodyTooLargeException tooLarge = find(e);
			if (tooLarge == null) {
				throw e;
			}
			// Read outside a controller (a filter, a view): the API's error mapping never saw it.
			problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "Request too large",
					tooLarge.getMessage());
		}
	}

	static @Nullable RequestBodyTooLargeException find(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof RequestBodyTooLargeException tooLarge) {
				return tooLarge;
			}
		}
		return null;
	}

	private static final class Limited extends HttpServletRequestWrapper {

		private final long maxBytes;

		private @Nullable ServletInputStream stream;

		Limited(HttpServletRequest request, long maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				stream = new CountingInputStream(super.getInputStream(), maxBytes);
			}
			return stream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			String encoding = getCharacterEncoding();
			Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

	}

	private static final class CountingInputStream extends ServletInputStream {

		private final ServletInputStream in;

		private final long maxBytes;

		private long count;

		CountingInputStream(ServletInputStream in, long maxBytes) {
			this.in = in;
			this.maxBytes = maxBytes;
		}

		@Override
		public int read() throws IOException {
			int b = in.read();
			if (b >= 0) {
				counted(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = in.read(buffer, offset, length);
			if (n > 0) {
				counted(n);
			}
			return n;
		}

		private void counted(int n) throws RequestBodyTooLargeException {
			count += n;
			if (count > maxBytes) {
				throw new RequestBodyTooLargeException(maxBytes);
			}
		}

		@Override
		public boolean isFinished() {
			return in.isFinished();
		}

		@Override
		public boolean isReady() {
			return in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			in.setReadListener(listener);
		}

		@Override
		public void close() throws IOException {
			in.close();
		}

	}

}
