package dev.sightline.agent.loop;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.desktop.DesktopExecutor;
import dev.sightline.tools.desktop.DesktopSession;
import dev.sightline.tools.execute.ActionOutcome;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.PointInfo;
import dev.sightline.tools.execute.Screenshot;

/**
 * A desktop task's own X display: an Xvfb started for the task, driven through its {@link DesktopExecutor} and
 * stopped when the loop closes the executor, so nothing of the task outlives it.
 */
final class OwnDisplayExecutor implements Executor {

	private static final Logger log = LoggerFactory.getLogger(OwnDisplayExecutor.class);

	private final DesktopSession session;

	private final DesktopExecutor executor;

	private OwnDisplayExecutor(DesktopSession session, DesktopExecutor executor) {
		this.session = session;
		this.executor = executor;
	}

	static OwnDisplayExecutor start(int widthPx, int heightPx) {
		DesktopSession session = DesktopSession.startXvfb(widthPx, heightPx);
		try {
			OwnDisplayExecutor own = new OwnDisplayExecutor(session, session.open());
			log.info("started Xvfb {} ({}x{}) for the task", session.display(), widthPx, heightPx);
			return own;
		}
		catch (RuntimeException e) {
			session.close();
			throw e;
		}
	}

	/** The display name, e.g. {@code :110}. */
	String display() {
		return session.display();
	}

	@Override
	public Screenshot screenshot() {
		return executor.screenshot();
	}

	@Override
	public ActionOutcome execute(Action action, CoordinateMapping mapping) {
		return executor.execute(action, mapping);
	}

	@Override
	public String describeTarget() {
		return executor.describeTarget() + " (own Xvfb)";
	}

	@Override
	public Optional<String> pageUrl() {
		return executor.pageUrl();
	}

	@Override
	public PointInfo inspect(@Nullable ScreenPoint at) {
		return executor.inspect(at);
	}

	@Override
	public void secretTyped() {
		executor.secretTyped();
	}

	@Override
	public Screenshot maskSecrets(Screenshot shot) {
		return executor.maskSecrets(shot);
	}

	@Override
	public void close() {
		try {
			executor.close();
		}
		finally {
			session.close();
			log.info("stopped Xvfb {}", session.display());
		}
	}

}
