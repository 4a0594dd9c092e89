package dev.sightline.tools.testing;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON schema (draft 2020-12 subset: type, properties, required, items, enum) for the record a query answers into,
 * so the model is told the exact shape Jackson will read. Strings, numbers, booleans, enums, lists/sets/arrays,
 * string-keyed maps and nested records; anything else is refused with the type's name.
 */
final class JsonSchemas {

	private static final int MAX_DEPTH = 8;

	private JsonSchemas() {
	}

	static Map<String, Object> of(Type type) {
		return schema(type, 0, new ArrayList<>());
	}

	private static Map<String, Object> schema(Type type, int depth, List<Class<?>> enclosing) {
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException("query type nests deeper than " + MAX_DEPTH + " levels at " + type);
		}
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
			Type[] arguments = parameterized.getActualTypeArguments();
			if (Collection.class.isAssignableFrom(raw)) {
				return array(schema(arguments[0], depth + 1, enclosing), Set.class.isAssignableFrom(raw));
			}
			if (Map.class.isAssignableFrom(raw) && arguments[0] == String.class) {
				return ordered("type", "object", "additionalProperties", schema(arguments[1], depth + 1, enclosing));
			}
			throw new IllegalArgumentException("query types may use List, Set and Map<String, V>, not " + type);
		}
		if (type instanceof GenericArrayType array) {
			return array(schema(array.getGenericComponentType(), depth + 1, enclosing), false);
		}
		if (!(type instanceof Class<?> c)) {
			throw new IllegalArgumentException("query types must be concrete, not " + type);
		}
		if (c == String.class || c == char.class || c == Character.class) {
			return ordered("type", "string");
		}
		if (c == boolean.class || c == Boolean.class) {
			return ordered("type", "boolean");
		}
		if (c == int.class || c == long.class || c == short.class || c == byte.class || c == Integer.class
				|| c == Long.class || c == Short.class || c == Byte.class || c == BigInteger.class) {
			return ordered("type", "integer");
		}
		if (c == double.class || c == float.class || c == Double.class || c == Float.class || c == BigDecimal.class) {
			return ordered("type", "number");
		}
		if (c.isEnum()) {
			List<String> names = new ArrayList<>();
			for (Object constant : c.getEnumConstants()) {
				names.add(((Enum<?>) constant).name());
			}
			return ordered("type", "string", "enum", names);
		}
		if (c.isArray()) {
			return array(schema(c.getComponentType(), depth + 1, enclosing), false);
		}
		if (c.isRecord()) {
			if (enclosing.contains(c)) {
				throw new IllegalArgumentException("query type " + c.getSimpleName() + " contains itself");
			}
			enclosing.add(c);
			Map<String, Object> properties = new LinkedHashMap<>();
			List<String> required = new ArrayList<>();
			for (RecordComponent component : c.getRecordComponents()) {
				properties.put(component.getName(), schema(component.getGenericType(), depth + 1, enclosing));
				required.add(component.getName());
			}
			enclosing.remove(c);
			return ordered("type", "object", "properties", properties, "required", required,
					"additionalProperties", false);
		}
		throw new IllegalArgumentException("query types are records of strings, numbers, booleans, enums, lists and"
				+ " records; " + c.getName() + " is none of these");
	}

	private static Map<String, Object> array(Map<String, Object> items, boolean unique) {
		return unique ? ordered("type", "array", "items", items, "uniqueItems", true)
				: ordered("type", "array", "items", items);
	}

	private static Map<String, Object> ordered(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

}
