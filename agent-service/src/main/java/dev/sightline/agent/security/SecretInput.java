package dev.sightline.agent.security;


import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One entry of a task's {@code secrets}: a value typed as is ({@code "pw": "hunter2"}), or a TOTP seed whose code of
 * the moment is typed ({@code "otp": {"totp": "JBSWY3DPEHPK3PXP"}}, optionally with {@code algorithm},
 * {@code digits}, {@code period}).
 */
@JsonDeserialize(using = SecretInput.Reader.class)
@Schema(description = "a value typed as is, or {\"totp\": \"BASE32SEED\"} for the one-time code of the moment",
		oneOf = { String.class, SecretInput.TotpSeed.class })
public sealed interface SecretInput {

	/**
	 * What the vault and the hand-off carry: the value itself, or the seed's {@code otpauth://totp/} key URI, which
	 * {@link SecretVault} recognises.
	 */
	String carried();

	/** What must never be shown: the value, or the seed. */
	String sensitive();

	record Plain(@JsonValue @Size(min = 1, max = 1024,
			message = "secret values must be 1 to 1024 characters") String value) implements SecretInput {

		@Override
		public String carried() {
			return value;
		}

		@Override
		public String sensitive() {
			return value;
		}

		@Override
		public String toString() {
			return "Plain[…]";
		}

	}

	/**
	 * @param totp the seed in Base32 as the site shows it (spaces and lower case allowed)
	 * @param algorithm SHA1 (default), SHA256 or SHA512
	 * @param digits 6 (default) to 8
	 * @param period seconds one code is valid, 30 by default, within [15, 300]
	 */
	// Read as the plain record it is, not again through the interface's Reader.
	@JsonDeserialize(using = ValueDeserializer.None.class)
	record TotpSeed(
			@NotNull(message = "a TOTP secret needs totp (the Base32 seed)") @Pattern(regexp = "[A-Za-z2-7 =]{16,256}",
					message = "totp must be the Base32 seed, 16 to 256 characters of A-Z and 2-7") String totp,
			@Nullable @Pattern(regexp = "SHA1|SHA256|SHA512",
					message = "totp algorithm must be SHA1, SHA256 or SHA512") String algorithm,
			@Nullable @Min(value = 6, message = "totp digits must be within [6, 8]") @Max(value = 8,
					message = "totp digits must be within [6, 8]") Integer digits,
			@Nullable @Min(value = 15, message = "totp period must be within [15, 300] seconds") @Max(value = 300,
					message = "totp period must be within [15, 300] seconds") Integer period) implements SecretInput {

		/** Throws {@link IllegalArgumentException} with the reason when the seed is not whole Base32. */
		public Totp generator() {
			return new Totp(totp, algorithm == null ? "SHA1" : algorithm, digits == null ? 6 : digits,
					period == null ? 30 : period);
		}

		@Override
		public String carried() {
			return generator().uri();
		}

		@Override
		public String sensitive() {
			return Totp.normalize(totp);
		}

		@Override
		public String toString() {
			return "TotpSeed[…]";
		}

	}

	/** A string is a plain value, an object a TOTP seed; anything else is refused with what is expected. */
	final class Reader extends ValueDeserializer<SecretInput> {

		@Override
		public SecretInput deserialize(JsonParser parser, DeserializationContext context) {
			if (parser.currentToken() == JsonToken.VALUE_STRING) {
				return new Plain(parser.getString());
			}
			if (parser.currentToken() == JsonToken.START_OBJECT) {
				return context.readValue(parser, TotpSeed.class);
			}
			return context.reportInputMismatch(SecretInput.class,
					"a secret is a string, or {\"totp\": \"BASE32SEED\"} for a one-time code");
		}

	}

}
