package dev.sightline.tools.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class XAuthorityTest {

	private static void entry(ByteArrayOutputStream out, int family, String address, String number, String name,
			byte[] data) {
		out.write(family >> 8);
		out.write(family & 0xFF);
		for (byte[] field : new byte[][] { address.getBytes(StandardCharsets.US_ASCII),
				number.getBytes(StandardCharsets.US_ASCII), name.getBytes(StandardCharsets.US_ASCII), data }) {
			out.write(field.length >> 8);
			out.write(field.length & 0xFF);
			out.writeBytes(field);
		}
	}

	@Test
	void findsTheLocalCookieOfTheRequestedDisplay() {
		ByteArrayOutputStream file = new ByteArrayOutputStream();
		entry(file, 0, "10.0.0.1", "0", XAuthority.MIT_MAGIC_COOKIE, new byte[] { 9, 9 });
		entry(file, 256, "host", "1", XAuthority.MIT_MAGIC_COOKIE, new byte[] { 1, 1 });
		entry(file, 256, "host", "0", "XDM-AUTHORIZATION-1", new byte[] { 5 });
		entry(file, 256, "host", "0", XAuthority.MIT_MAGIC_COOKIE, new byte[] { 1, 2, 3 });
		assertThat(XAuthority.cookie(file.toByteArray(), 0)).containsExactly(1, 2, 3);
		assertThat(XAuthority.cookie(file.toByteArray(), 1)).containsExactly(1, 1);
	}

	@Test
	void givesNoCookieForUnknownDisplaysOrTruncatedFiles() {
		ByteArrayOutputStream file = new ByteArrayOutputStream();
		entry(file, 256, "host", "0", XAuthority.MIT_MAGIC_COOKIE, new byte[] { 1, 2, 3 });
		byte[] bytes = file.toByteArray();
		assertThat(XAuthority.cookie(bytes, 7)).isEmpty();
		assertThat(XAuthority.cookie(java.util.Arrays.copyOf(bytes, bytes.length - 2), 0)).isEmpty();
	}

	@Test
	void writesAFileOnlyItsOwnerReadsWithARandomCookieForAnyDisplay() throws Exception {
		byte[] cookie = XAuthority.newCookie();
		java.nio.file.Path file = XAuthority.writeFile(cookie);
		try {
			assertThat(cookie).hasSize(16);
			assertThat(XAuthority.newCookie()).isNotEqualTo(cookie);
			assertThat(java.nio.file.attribute.PosixFilePermissions
				.toString(java.nio.file.Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
			assertThat(XAuthority.cookie(file, 4711)).containsExactly(cookie);
			assertThat(XAuthority.cookie(file, 1000)).containsExactly(cookie);
		}
		finally {
			java.nio.file.Files.delete(file);
		}
	}

}
