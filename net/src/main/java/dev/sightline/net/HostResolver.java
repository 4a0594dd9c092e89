package dev.sightline.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a domain name into addresses, once per connection: whoever checks the addresses also connects to them, so a
 * name cannot answer the check with one address and the connection with another (DNS rebinding). Injectable so that
 * tests can play a rebinding resolver.
 */
@FunctionalInterface
public interface HostResolver {

	/**
	 * The addresses of {@code name} (lower-case ASCII, never a numeric host), in the order to try them.
	 * @throws UnknownHostException when the name does not resolve
	 */
	List<InetAddress> resolve(String name) throws UnknownHostException;

	/** The JDK's resolver (the operating system's). */
	static HostResolver system() {
		return name -> List.of(InetAddress.getAllByName(name));
	}

}
