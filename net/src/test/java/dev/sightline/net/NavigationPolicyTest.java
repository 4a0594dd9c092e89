package dev.sightline.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NavigationPolicyTest {

	private final NavigationPolicy defaults = NavigationPolicy.defaults();

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1/", "http://localhost:8080/", "http://10.1.2.3/", "http://192.168.0.1/",
			"http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://0.0.0.0/",
			"http://100.64.0.1/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/",
			"http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://127.1/", "http://[::ffff:7f00:1]/",
			"http://[::]/", "http://0/", "http://169.254.43518/", "http://[fe80::1]/", "http://224.0.0.1/",
			"http://255.255.255.255/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::]/" })
	void deniesPrivateLoopbackAndLinkLocalAddressesByDefault(String url) {
		assertThat(defaults.check(url).allowed()).as(url).isFalse();
		assertThat(defaults.withPrivateAddressesAllowed(true).check(url).allowed()).as(url).isTrue();
	}

	@Test
	void deniesANameThatResolvesToLoopback() {
		assertThat(defaults.check("http://localhost/").reason()).contains("resolves to a loopback address");
	}

	@ParameterizedTest
	@ValueSource(strings = { "file:///etc/passwd", "chrome://settings", "javascript:alert(1)", "data:text/html,x",
			"blob:http://example.org/1234", "ftp://example.org/" })
	void deniesNonHttpSchemesEvenWhenPrivateAddressesAreAllowed(String url) {
		assertThat(defaults.withPrivateAddressesAllowed(true).check(url).reason()).contains("scheme");
	}

	@Test
	void allowListMatchesHostsSubdomainsAndPorts() {
		NavigationPolicy policy = defaults.withPrivateAddressesAllowed(true).withAllowHosts("example.org",
				"127.0.0.1:8080");
		HostResolver dns = name -> List.of(InetAddress.getByName("93.184.216.34"));
		assertThat(policy.check("https://example.org/a", dns).allowed()).isTrue();
		assertThat(policy.check("https://docs.example.org/a", dns).allowed()).isTrue();
		assertThat(policy.check("https://badexample.org/", dns).allowed()).isFalse();
		assertThat(policy.check("http://127.0.0.1:8080/").allowed()).isTrue();
		assertThat(policy.check("http://127.0.0.1:9090/").reason()).contains("not on the allow list");
	}

	@Test
	void denyListWinsOverAllowList() {
		NavigationPolicy policy = defaults.withPrivateAddressesAllowed(true)
			.withAllowHosts("127.0.0.1")
			.withDenyHosts("127.0.0.1:9000");
		assertThat(policy.check("http://127.0.0.1:9000/").reason()).contains("deny list");
		assertThat(policy.check("http://127.0.0.1:9001/").allowed()).isTrue();
	}

	@Test
	void narrowingNeverWidensTheServerPolicy() {
		NavigationPolicy server = defaults.withAllowHosts("example.org", "example.com:443").withDenyHosts("evil.org");
		NavigationPolicy task = defaults.withPrivateAddressesAllowed(true)
			.withAllowHosts("docs.example.org", "other.net", "example.com")
			.withDenyHosts("docs.example.org:8443");
		NavigationPolicy narrowed = server.narrow(task);
		assertThat(narrowed.allowHosts()).containsExactly("docs.example.org");
		assertThat(narrowed.denyHosts()).containsExactlyInAnyOrder("evil.org", "docs.example.org:8443");
		assertThat(narrowed.privateAddressesAllowed()).isFalse();
	}

	@Test
	void narrowingToNothingTheServerAllowsDeniesEverything() {
		NavigationPolicy narrowed = defaults.withAllowHosts("example.org")
			.narrow(defaults.withAllowHosts("other.net"));
		assertThat(narrowed.check("https://example.org/").allowed()).isFalse();
		assertThat(narrowed.check("https://other.net/").allowed()).isFalse();
	}

	@Test
	void rejectsAnInvalidPortInAHostEntry() {
		assertThatThrownBy(() -> defaults.withAllowHosts("example.org:99999"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("invalid port");
	}

	@Test
	void listedHostsAreTheOnlyOnesAndLetPrivateAddressesInOnlyWhenOneOfThemIsPrivate() {
		// Literal addresses: this test must not depend on DNS.
		NavigationPolicy publicOnly = NavigationPolicy.forListedHosts(List.of("93.184.216.34"), List.of());
		assertThat(publicOnly.check("https://93.184.216.34/a").allowed()).isTrue();
		assertThat(publicOnly.check("https://1.1.1.1/").reason()).contains("not on the allow list");
		assertThat(publicOnly.privateAddressesAllowed()).isFalse();

		NavigationPolicy local = NavigationPolicy.forListedHosts(List.of(" 127.0.0.1:8080 "), List.of());
		assertThat(local.check("http://127.0.0.1:8080/img.png").allowed()).isTrue();
		assertThat(local.check("http://127.0.0.1:9090/img.png").allowed()).isFalse();

		NavigationPolicy any = NavigationPolicy.forListedHosts(List.of(), List.of("ads.example"));
		assertThat(any.check("https://1.1.1.1/").allowed()).isTrue();
		assertThat(any.check("https://ads.example/x").reason()).contains("deny list");
		assertThat(any.check("http://10.0.0.1/admin").reason()).contains("private");
	}


	@Test
	void listingOnePrivateAddressDoesNotOpenOtherPrivateAddresses() {
		NavigationPolicy policy = NavigationPolicy.forListedHosts(List.of("172.16.0.5:8080", "93.184.216.34"),
				List.of());
		assertThat(policy.check("http://172.16.0.5:8080/").allowed()).isTrue();
		assertThat(policy.check("http://172.16.0.6:8080/").allowed()).isFalse();
		// The old string-prefix rule turned every private address on once any '172.' entry was listed.
		NavigationPolicy anyHost = NavigationPolicy.forListedHosts(List.of(), List.of())
			.narrow(new NavigationPolicy(List.of("172.16.0.5:8080"), List.of(), true));
		assertThat(anyHost.check("http://172.16.0.5:8080/").reason()).contains("private address");
	}

	@Test
	void cidrEntriesAllowAndDenyByResolvedAddress() {
		HostResolver intranet = name -> List.of(InetAddress.getByName("10.1.2.3"));
		NavigationPolicy policy = NavigationPolicy.forListedHosts(List.of("10.0.0.0/8"), List.of("10.9.0.0/16"));
		assertThat(policy.check("http://wiki.corp/", intranet).allowed()).isTrue();
		assertThat(policy.check("http://10.200.0.1:81/").allowed()).isTrue();
		assertThat(policy.check("http://10.9.1.1/").reason()).contains("deny list");
		assertThat(policy.check("http://11.0.0.1/").reason()).contains("not on the allow list");
		assertThat(policy.check("http://0x0a.1/").allowed()).isTrue();
	}

	@Test
	void ipv6CidrDenyCatchesEveryFormOfTheAddress() {
		NavigationPolicy policy = defaults.withPrivateAddressesAllowed(true).withDenyHosts("::1/128", "127.0.0.0/8");
		for (String url : List.of("http://[::1]/", "http://[0:0::1]/", "http://[::ffff:127.0.0.1]/", "http://127.1/",
				"http://2130706433/")) {
			assertThat(policy.check(url).reason()).as(url).contains("deny list");
		}
	}

	@Test
	void namesThatStartLikePrivatePrefixesAreNotPrivate() {
		HostResolver publicDns = name -> List.of(InetAddress.getByName("93.184.216.34"));
		for (String url : List.of("http://fc.example/", "http://fd00.example/", "http://172.example/",
				"http://10.example/")) {
			assertThat(defaults.check(url, publicDns).allowed()).as(url).isTrue();
		}
	}

	@Test
	void aNameIsResolvedOnceAndTheDecisionCarriesTheCheckedAddresses() throws UnknownHostException {
		AtomicInteger lookups = new AtomicInteger();
		InetAddress allowed = InetAddress.getByName("93.184.216.34");
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		// A rebinding name: public on the first lookup, loopback afterwards.
		HostResolver rebinding = name -> List.of(lookups.getAndIncrement() == 0 ? allowed : loopback);
		NavigationPolicy.Decision first = defaults.checkEndpoint(Host.parse("rebind.example"), 80, rebinding);
		assertThat(first.allowed()).isTrue();
		assertThat(first.addresses()).containsExactly(allowed);
		assertThat(lookups).hasValue(1);
		assertThat(defaults.checkEndpoint(Host.parse("rebind.example"), 80, rebinding).reason())
			.contains("resolves to a loopback address (127.0.0.1)");
	}

	@Test
	void aNameWithOneSpecialAddressAmongPublicOnesIsDenied() throws UnknownHostException {
		HostResolver mixed = name -> List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1"));
		assertThat(defaults.check("http://mixed.example/", mixed).reason()).contains("private address (10.0.0.1)");
	}

	@Test
	void listedLocalhostLetsLoopbackThroughOnItsPortOnly() {
		NavigationPolicy policy = NavigationPolicy.forListedHosts(List.of("localhost:8080"), List.of());
		assertThat(policy.check("http://localhost:8080/").allowed()).isTrue();
		assertThat(policy.check("http://localhost:8081/").allowed()).isFalse();
		assertThat(policy.check("http://127.0.0.1:8080/").allowed()).isFalse();
	}


	@ParameterizedTest
	@ValueSource(strings = { "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", "http://%31%32%37.0.0.1/",
			"http://127.0.0.1%00.example/", "http://user@127.0.0.1/", "http://[::1%25lo]/" })
	void unusualSpellingsOfLoopbackNeverPass(String url) {
		assertThat(defaults.check(url).allowed()).as(url).isFalse();
	}

	@Test
	void listsHostOfMatchesTheHostAsWrittenWithoutALookup() {
		NavigationPolicy policy = new NavigationPolicy(List.of("accounts.example.com", "127.0.0.1:8080", "10.0.0.0/8"),
				List.of(), true);
		// Names that resolve nowhere: a lookup would fail, so these pass only because nothing is resolved.
		assertThat(policy.listsHostOf("https://accounts.example.com/signin")).isTrue();
		assertThat(policy.listsHostOf("https://eu.accounts.example.com/")).isTrue();
		assertThat(policy.listsHostOf("http://127.0.0.1:8080/login")).isTrue();
		assertThat(policy.listsHostOf("http://10.9.8.7/")).isTrue();
		assertThat(policy.listsHostOf("http://127.0.0.1:9090/login")).isFalse();
		assertThat(policy.listsHostOf("https://accounts.example.com.evil.net/")).isFalse();
		assertThat(policy.listsHostOf("https://user@evil.net/")).isFalse();
		assertThat(policy.listsHostOf("javascript:alert(1)")).isFalse();
		assertThat(NavigationPolicy.defaults().listsHostOf("https://accounts.example.com/")).isFalse();
	}

	@Test
	void checkAsWrittenJudgesWhatNeedsNoLookup() {
		NavigationPolicy listed = NavigationPolicy.forListedHosts(List.of("shop.example.com", "127.0.0.1:8080"),
				List.of("admin.shop.example.com"));
		// Names that resolve nowhere: these pass or fail without a lookup.
		assertThat(listed.checkAsWritten("https://shop.example.com/").allowed()).isTrue();
		assertThat(listed.checkAsWritten("https://shop.example.com/").addresses()).isEmpty();
		assertThat(listed.checkAsWritten("https://other.example.net/").reason()).contains("not on the allow list");
		// On port 8080 it could resolve to 127.0.0.1, which is listed there: only the connection can tell.
		assertThat(listed.checkAsWritten("http://other.example.net:8080/").allowed()).isTrue();
		assertThat(listed.checkAsWritten("https://admin.shop.example.com/").reason()).contains("deny list");
		assertThat(listed.checkAsWritten("http://127.0.0.1:8080/").allowed()).isTrue();
		assertThat(listed.checkAsWritten("http://10.1.2.3/").allowed()).isFalse();
		assertThat(listed.checkAsWritten("file:///etc/passwd").reason()).contains("scheme");
		assertThat(defaults.checkAsWritten("http://2130706433/").reason()).contains("loopback");
		assertThat(defaults.checkAsWritten("http://localhost:8080/").reason()).contains("loopback name");
		assertThat(NavigationPolicy.forListedHosts(List.of("localhost:8080"), List.of())
			.checkAsWritten("http://localhost:8080/")
			.allowed()).isTrue();
		// A CIDR allow list admits names by their addresses: only the connection can tell.
		assertThat(NavigationPolicy.forListedHosts(List.of("10.0.0.0/8"), List.of())
			.checkAsWritten("https://intranet.example/")
			.allowed()).isTrue();
	}

}
