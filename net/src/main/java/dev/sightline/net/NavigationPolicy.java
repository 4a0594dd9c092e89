package dev.sightline.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Which hosts may be reached: by a task's browser (enforced by the tools' filtering proxy on every connection
 * Chromium makes) and by the model server for remote images (on every redirect hop). Whoever enforces it resolves
 * the host once with {@link #checkEndpoint}, and connects to exactly the addresses the decision carries.
 *
 * <p>
 * Rules, in order: only {@code http}/{@code https} URLs (and {@code about:blank}) are loadable, so {@code file:},
 * {@code chrome:}, {@code javascript:}, {@code data:} and {@code blob:} are refused; a host, or any address it
 * resolves to, on the deny list is refused; with a non-empty allow list a host passes only when a name rule matches
 * it or every address it resolves to lies in an address rule; a special address (loopback, private, link-local,
 * CGNAT, multicast, unique-local, unspecified, ... see {@link SpecialAddresses}) is refused unless an allow-list
 * address rule names it (an entry such as {@code 127.0.0.1:8080} or {@code 10.0.0.0/8}), the name is
 * {@code localhost} and listed, or {@code privateAddressesAllowed} (tests opt in explicitly). Entries are parsed
 * into {@link HostRule}s.
 *
 * @param allow when non-empty, the only hosts that may be reached
 * @param deny hosts and ranges never reached
 * @param privateAddressesAllowed whether every special address may be reached
 * @param listedPrivateAllowed whether an allow-list rule that names a special address lets it through (false in a
 * policy narrowed from a server policy that did not list any: a task cannot widen the server's reach)
 */
public record NavigationPolicy(List<HostRule> allow, List<HostRule> deny, boolean privateAddressesAllowed,
		boolean listedPrivateAllowed) {

	/** The verdict on one URL or endpoint; {@code reason} says which rule decided. */
	public record Decision(boolean allowed, String reason, List<InetAddress> addresses) {

		public Decision {
			addresses = List.copyOf(addresses);
		}

		static Decision denied(String reason) {
			return new Decision(false, reason, List.of());
		}

	}

	public NavigationPolicy {
		allow = List.copyOf(new LinkedHashSet<>(allow));
		deny = List.copyOf(new LinkedHashSet<>(deny));
	}

	/** A policy from list entries (see {@link HostRule}); listed special addresses pass. */
	public NavigationPolicy(Collection<String> allowHosts, Collection<String> denyHosts,
			boolean privateAddressesAllowed) {
		this(parse(allowHosts), parse(denyHosts), privateAddressesAllowed, true);
	}

	/** Any public http(s) host; nothing special. */
	public static NavigationPolicy defaults() {
		return new NavigationPolicy(List.of(), List.of(), false, true);
	}

	/**
	 * A deployment's policy from its host lists: listed hosts are the only reachable ones when any are listed, and a
	 * special address (loopback, private, ...) passes only where an entry names it ({@code 127.0.0.1:8080},
	 * {@code 10.0.0.0/8}, {@code localhost:8080}): an intranet site or a local test server.
	 */
	public static NavigationPolicy forListedHosts(Collection<String> allowedHosts, Collection<String> deniedHosts) {
		return new NavigationPolicy(allowedHosts, deniedHosts, false);
	}

	/** Parses list entries, naming the first bad one. */
	public static List<HostRule> parse(Collection<String> entries) {
		List<HostRule> rules = new ArrayList<>();
		for (String entry : entries) {
			if (!entry.isBlank()) {
				rules.add(HostRule.parse(entry));
			}
		}
		return rules;
	}

	/** The allow list as canonical entries. */
	public Set<String> allowHosts() {
		return allow.stream().map(HostRule::toString).collect(Collectors.toCollection(LinkedHashSet::new));
	}

	/** The deny list as canonical entries. */
	public Set<String> denyHosts() {
		return deny.stream().map(HostRule::toString).collect(Collectors.toCollection(LinkedHashSet::new));
	}

	public NavigationPolicy withAllowHosts(String... hosts) {
		return new NavigationPolicy(parse(List.of(hosts)), deny, privateAddressesAllowed, listedPrivateAllowed);
	}

	public NavigationPolicy withDenyHosts(String... hosts) {
		return new NavigationPolicy(allow, parse(List.of(hosts)), privateAddressesAllowed, listedPrivateAllowed);
	}

	/** Lets every special address through (local test servers). */
	public NavigationPolicy withPrivateAddressesAllowed(boolean allowed) {
		return new NavigationPolicy(allow, deny, allowed, listedPrivateAllowed);
	}

	/**
	 * This (server) policy restricted further by a task's policy: never wider than either. Deny lists add up, allow
	 * lists intersect (an empty list means "any"; a task rule survives only when a server rule covers it), special
	 * addresses only where both let them through.
	 */
	public NavigationPolicy narrow(NavigationPolicy task) {
		List<HostRule> narrowed;
		boolean listedPrivate;
		if (allow.isEmpty()) {
			narrowed = task.allow;
			// The server listed nothing, so nothing special was let in by a listing; the task cannot add one.
			listedPrivate = privateAddressesAllowed && (task.listedPrivateAllowed || task.privateAddressesAllowed);
		}
		else if (task.allow.isEmpty()) {
			narrowed = allow;
			listedPrivate = listedPrivateAllowed && (task.listedPrivateAllowed || task.privateAddressesAllowed);
		}
		else {
			narrowed = task.allow.stream().filter(rule -> allow.stream().anyMatch(s -> s.covers(rule))).toList();
			if (narrowed.isEmpty()) {
				// Nothing the task asks for is allowed by the server: a rule nobody can match denies everything.
				narrowed = List.of(new HostRule.Name("sightline.invalid", false, 0));
			}
			listedPrivate = listedPrivateAllowed && (task.listedPrivateAllowed || task.privateAddressesAllowed);
		}
		List<HostRule> denied = new ArrayList<>(deny);
		denied.addAll(task.deny);
		return new NavigationPolicy(narrowed, denied, privateAddressesAllowed && task.privateAddressesAllowed,
				listedPrivate);
	}

	/** {@link #check(String, HostResolver)} with the system resolver. */
	public Decision check(String url) {
		return check(url, HostResolver.system());
	}

	/** The verdict on a URL: its scheme, then {@link #checkEndpoint} on its host and port. */
	public Decision check(String url, HostResolver resolver) {
		if (url.equals("about:blank")) {
			return new Decision(true, "about:blank", List.of());
		}
		Endpoint endpoint = endpointOf(url);
		return endpoint.refusal() != null ? Decision.denied(endpoint.refusal())
				: checkEndpoint(endpoint.host(), endpoint.port(), resolver);
	}

	/**
	 * Whether an allow rule names the host and port of {@code url} as written (a name by a name rule, a numeric host
	 * by an address rule), without resolving anything: for binding data such as secrets to the hosts a task lists,
	 * not for deciding reachability (that is {@link #check}'s job, on the connection).
	 */
	public boolean listsHostOf(String url) {
		Endpoint endpoint = endpointOf(url);
		if (endpoint.refusal() != null) {
			return false;
		}
		Host host = endpoint.host();
		for (HostRule rule : allow) {
			if (!rule.portMatches(endpoint.port())) {
				continue;
			}
			if (host.address() == null ? rule instanceof HostRule.Name name && name.matches(host.name())
					: rule instanceof HostRule.Addresses range && range.matches(host.address())) {
				return true;
			}
		}
		return false;
	}

	/** A URL's host and port (the scheme's default when none is given), or why it has none that may be loaded. */
	private record Endpoint(Host host, int port, @Nullable String refusal) {

		static Endpoint refused(String refusal) {
			return new Endpoint(new Host("", null), -1, refusal);
		}

	}

	private static Endpoint endpointOf(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return Endpoint.refused("not a valid URL: " + ex.getMessage());
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			return Endpoint.refused("scheme '" + scheme + ":' is not loadable (only http and https)");
		}
		String rawHost = hostOf(uri);
		if (rawHost == null || rawHost.isEmpty()) {
			return Endpoint.refused("URL has no host");
		}
		Host host;
		try {
			host = Host.parse(rawHost);
		}
		catch (IllegalArgumentException ex) {
			return Endpoint.refused(ex.getMessage());
		}
		int port = portOf(uri);
		if (port < 0) {
			port = scheme.equals("https") ? 443 : 80;
		}
		if (port == 0 || port > 65_535) {
			return Endpoint.refused("URL port " + port + " is outside 1..65535");
		}
		return new Endpoint(host, port, null);
	}

	/**
	 * The verdict on connecting to {@code host:port}: resolves a name once with {@code resolver}, checks every
	 * address, and on success carries the checked addresses, the only ones the caller may connect to.
	 */
	public Decision checkEndpoint(Host host, int port, HostResolver resolver) {
		String where = host.authority() + ":" + port;
		if (!host.isAddress()) {
			Decision byName = nameRefusal(host, port);
			if (byName != null) {
				return byName;
			}
		}
		List<InetAddress> addresses;
		if (host.address() != null) {
			addresses = List.of(host.address());
		}
		else {
			try {
				addresses = resolver.resolve(host.name()).stream().map(SpecialAddresses::unmapped).toList();
			}
			catch (UnknownHostException ex) {
				return Decision.denied("host " + host.name() + " does not resolve");
			}
			if (addresses.isEmpty()) {
				return Decision.denied("host " + host.name() + " does not resolve");
			}
		}
		for (InetAddress address : addresses) {
			for (HostRule rule : deny) {
				if (rule instanceof HostRule.Addresses range && range.portMatches(port) && range.matches(address)) {
					return Decision.denied("host " + where + (host.isAddress() ? "" : " (" + Host.text(address)
							+ ")") + " is on the deny list (" + rule + ")");
				}
			}
		}
		if (!allow.isEmpty() && !allowed(host, port, addresses)) {
			return Decision.denied("host " + where + " is not on the allow list " + allowHosts());
		}
		if (!privateAddressesAllowed) {
			for (InetAddress address : addresses) {
				String kind = SpecialAddresses.kind(address);
				if (kind != null && !(listedPrivateAllowed && listed(host, port, address, kind))) {
					return Decision.denied("host " + host.authority() + " is"
							+ (host.isAddress() ? " " : " resolves to ") + article(kind) + " " + kind + " address ("
							+ Host.text(address) + "); list it in the allowed hosts to reach it");
				}
			}
		}
		return new Decision(true, "allowed", addresses);
	}

	/**
	 * The verdict that can be given on a URL as written, without any lookup: scheme, syntax, port, every rule on a
	 * numeric host, and for a name the name rules (deny, and an allow list without address rules) and the
	 * {@code localhost} names (loopback by definition, RFC 6761). A name that passes here is judged on its addresses
	 * where the connection is made; the decision then carries no addresses. For refusing at submit what can be known
	 * at submit, not for connecting.
	 */
	public Decision checkAsWritten(String url) {
		if (url.equals("about:blank")) {
			return new Decision(true, "about:blank", List.of());
		}
		Endpoint endpoint = endpointOf(url);
		if (endpoint.refusal() != null) {
			return Decision.denied(endpoint.refusal());
		}
		Host host = endpoint.host();
		if (host.isAddress()) {
			return checkEndpoint(host, endpoint.port(), name -> {
				throw new UnknownHostException("a numeric host is never looked up: " + name);
			});
		}
		Decision byName = nameRefusal(host, endpoint.port());
		if (byName != null) {
			return byName;
		}
		boolean loopbackName = host.name().equals("localhost") || host.name().endsWith(".localhost");
		if (loopbackName && !privateAddressesAllowed
				&& !(listedPrivateAllowed && listed(host, endpoint.port(), InetAddress.getLoopbackAddress(), "loopback"))) {
			return Decision.denied("host " + host.name() + " is a loopback name; list it in the allowed hosts to reach it");
		}
		return new Decision(true, "allowed as written; its addresses are checked where it is connected to", List.of());
	}

	/** The refusal a name earns before any lookup (deny name rules; an allow list no address rule could widen). */
	private @Nullable Decision nameRefusal(Host host, int port) {
		String where = host.authority() + ":" + port;
		for (HostRule rule : deny) {
			if (rule instanceof HostRule.Name name && name.portMatches(port) && name.matches(host.name())) {
				return Decision.denied("host " + where + " is on the deny list (" + rule + ")");
			}
		}
		if (!allow.isEmpty()
				&& allow.stream().noneMatch(rule -> rule instanceof HostRule.Addresses && rule.portMatches(port))
				&& !allowed(host, port, List.of())) {
			// No address rule could admit it: refuse without a lookup.
			return Decision.denied("host " + where + " is not on the allow list " + allowHosts());
		}
		return null;
	}

	private boolean allowed(Host host, int port, List<InetAddress> addresses) {
		if (!host.isAddress()) {
			for (HostRule rule : allow) {
				if (rule instanceof HostRule.Name name && name.portMatches(port) && name.matches(host.name())) {
					return true;
				}
			}
		}
		return !addresses.isEmpty() && addresses.stream()
			.allMatch(address -> allow.stream()
				.anyMatch(rule -> rule instanceof HostRule.Addresses range && range.portMatches(port)
						&& range.matches(address)));
	}

	/** A special address passes where an allow rule names it, or {@code localhost} is listed for loopback. */
	private boolean listed(Host host, int port, InetAddress address, String kind) {
		for (HostRule rule : allow) {
			if (!rule.portMatches(port)) {
				continue;
			}
			if (rule instanceof HostRule.Addresses range && range.matches(address)) {
				return true;
			}
			if (rule instanceof HostRule.Name name && name.name().equals("localhost") && kind.equals("loopback")
					&& name.matches(host.name())) {
				return true;
			}
		}
		return false;
	}

	/** The host of a URL, also where {@link URI} cannot parse the authority as a server (e.g. '_' in a name). */
	private static @Nullable String hostOf(URI uri) {
		if (uri.getHost() != null) {
			return uri.getHost();
		}
		String authority = uri.getRawAuthority();
		if (authority == null) {
			return null;
		}
		authority = authority.substring(authority.lastIndexOf('@') + 1);
		if (authority.startsWith("[")) {
			int close = authority.indexOf(']');
			return close < 0 ? authority : authority.substring(0, close + 1);
		}
		int colon = authority.indexOf(':');
		return colon < 0 ? authority : authority.substring(0, colon);
	}

	private static int portOf(URI uri) {
		if (uri.getHost() != null || uri.getRawAuthority() == null) {
			return uri.getPort();
		}
		String authority = uri.getRawAuthority();
		int colon = authority.lastIndexOf(':');
		if (colon < 0 || colon < authority.lastIndexOf(']')) {
			return -1;
		}
		String digits = authority.substring(colon + 1);
		return digits.matches("\\d{1,5}") ? Integer.parseInt(digits) : 0;
	}

	private static String article(String word) {
		return "aeiouAEIOU".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
	}

	@Override
	public String toString() {
		return "NavigationPolicy[allow=" + allow + ", deny=" + deny + ", privateAddresses="
				+ (privateAddressesAllowed ? "allowed" : listedPrivateAllowed ? "where listed" : "denied") + "]";
	}

}
