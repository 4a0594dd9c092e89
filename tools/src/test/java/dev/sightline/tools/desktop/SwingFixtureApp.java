package dev.sightline.tools.desktop;

import java.awt.EventQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JTextField;
import javax.swing.WindowConstants;

/**
 * A real X window for the desktop tests, run as a separate JVM with DISPLAY set: an undecorated frame at (0, 0)
 * with a button at (100, 100, 200x60) and a text field at (100, 250, 300x30). Every event is appended to the file
 * given as the first argument, so the test observes the effect from outside.
 */
public final class SwingFixtureApp {

	private SwingFixtureApp() {
	}

	public static void main(String[] args) {
		Path events = Path.of(args[0]);
		EventQueue.invokeLater(() -> {
			JFrame frame = new JFrame("Sightline desktop fixture");
			frame.setUndecorated(true);
			frame.setLayout(null);
			JButton button = new JButton("Press me");
			button.setBounds(100, 100, 200, 60);
			button.addActionListener(e -> append(events, "pressed"));
			JTextField field = new JTextField();
			field.setBounds(100, 250, 300, 30);
			field.addActionListener(e -> append(events, "typed:" + field.getText()));
			frame.add(button);
			frame.add(field);
			frame.setDefaultCloseOperation(WindowConstants.EXIT_ON_CLOSE);
			frame.setBounds(0, 0, 640, 480);
			frame.setVisible(true);
			append(events, "ready");
		});
	}

	private static void append(Path events, String line) {
		try {
			Files.writeString(events, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
