package dev.sightline.tools.profile;

import java.util.function.UnaryOperator;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Click;
import dev.sightline.tools.actions.DoubleClick;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.MiddleClick;
import dev.sightline.tools.actions.MouseMove;
import dev.sightline.tools.actions.RightClick;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.TripleClick;
import dev.sightline.tools.coords.ModelPoint;

/** The same action with every point moved by a function: how an answer changes coordinate space. */
final class ActionPoints {

	private ActionPoints() {
	}

	static Action map(Action action, UnaryOperator<ModelPoint> to) {
		return switch (action) {
			case Click click when click.at() == null -> click;
			case LeftClick click -> new LeftClick(to.apply(click.at()));
			case RightClick click -> new RightClick(to.apply(click.at()));
			case MiddleClick click -> new MiddleClick(to.apply(click.at()));
			case DoubleClick click -> new DoubleClick(to.apply(click.at()));
			case TripleClick click -> new TripleClick(to.apply(click.at()));
			case MouseMove move -> new MouseMove(to.apply(move.at()));
			case LeftClickDrag drag -> new LeftClickDrag(drag.from() == null ? null : to.apply(drag.from()),
					to.apply(drag.to()));
			case Scroll scroll -> scroll.at() == null ? scroll : new Scroll(scroll.pixels(), to.apply(scroll.at()));
			default -> action;
		};
	}

}
