package dev.sightline.tools.desktop;

import java.awt.EventQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;

import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JPanel;
import javax.swing.JSlider;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

/**
 * A real X window for the desktop tests, run as a separate JVM with DISPLAY set: an undecorated frame at (0, 0)
 * with a button at (100, 100, 200x60), a text field at (100, 250, 300x30), a slider 0..100 at (100, 330, 300x40)
 * and a pad at (450, 100, 150x150) that reports double clicks, right clicks and wheel turns. Every event is appended
 * to the file given as the first argument, so the test observes the effect from outside.
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
			JSlider slider = new JSlider(0, 100, 0);
			slider.setBounds(100, 330, 300, 40);
			slider.addChangeListener(e -> {
				if (!slider.getValueIsAdjusting()) {
					append(events, "slider:" + slider.getValue());
				}
			});
			JPanel pad = new JPanel();
			pad.setBounds(450, 100, 150, 150);
			pad.addMouseListener(new MouseAdapter() {
				@Override
				public void mouseClicked(MouseEvent e) {
					if (e.getClickCount() == 2 && SwingUtilities.isLeftMouseButton(e)) {
						append(events, "double");
					}
					if (SwingUtilities.isRightMouseButton(e)) {
						append(events, "right");
					}
				}
			});
			pad.addMouseWheelListener(e -> append(events, "wheel:" + e.getWheelRotation()));
			frame.add(button);
			frame.add(field);
			frame.add(slider);
			frame.add(pad);
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
