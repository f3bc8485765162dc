package dev.pathpoint.console.internal.config;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.osgi.service.metatype.AttributeDefinition;

/**
 * Turns the text typed at the console into a configuration property of the right type: the type
 * the metatype declares, else the type the property has now, else text. Several values (an array
 * or list property) are separated by commas.
 */
final class PropertyTypes {
    private PropertyTypes() {
    }

    /** A value as the metatype attribute wants it. */
    static Object convert(AttributeDefinition attribute, String text) {
        Class<?> type = javaType(attribute.getType());
        int cardinality = attribute.getCardinality();
        if (cardinality == 0) {
            return scalar(attribute.getID(), type, text);
        }
        List<Object> values = new ArrayList<>();
        for (String part : split(text)) {
            values.add(scalar(attribute.getID(), type, part));
        }
        if (Math.abs(cardinality) < values.size() && cardinality != Integer.MAX_VALUE && cardinality != Integer.MIN_VALUE) {
            throw new IllegalArgumentException(attribute.getID() + " takes at most " + Math.abs(cardinality)
                    + " values, got " + values.size());
        }
        return cardinality > 0 ? toArray(type, values) : values;
    }

    /** A value of the same type as {@code existing}, or text when there is none or it is of another kind. */
    static Object like(Object existing, String key, String text) {
        if (existing == null) {
            return text;
        }
        if (existing.getClass().isArray()) {
            Class<?> type = existing.getClass().getComponentType();
            List<Object> values = new ArrayList<>();
            for (String part : split(text)) {
                values.add(scalar(key, boxed(type), part));
            }
            return toArray(boxed(type), values);
        }
        if (existing instanceof Collection<?>) {
            return new ArrayList<>(split(text));
        }
        return scalar(key, existing.getClass(), text);
    }

    /** How a value reads at the console: {@code 502 (Integer)}, {@code [1, 2] (String[])}. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                parts.add(String.valueOf(Array.get(value, i)));
            }
            return parts + " (" + value.getClass().getComponentType().getSimpleName() + "[])";
        }
        if (value instanceof Collection<?> collection) {
            return collection + " (list)";
        }
        return value instanceof String ? "\"" + value + "\"" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    private static List<String> split(String text) {
        return text.isBlank() ? List.of() : Arrays.stream(text.split(",")).map(String::trim).toList();
    }

    private static Object scalar(String key, Class<?> type, String text) {
        String value = text.trim();
        try {
            if (type == String.class) {
                return text;
            }
            if (type == Integer.class) {
                return Integer.valueOf(value);
            }
            if (type == Long.class) {
                return Long.valueOf(value);
            }
            if (type == Short.class) {
                return Short.valueOf(value);
            }
            if (type == Byte.class) {
                return Byte.valueOf(value);
            }
            if (type == Double.class) {
                return Double.valueOf(value);
            }
            if (type == Float.class) {
                return Float.valueOf(value);
            }
            if (type == Boolean.class) {
                return switch (value.toLowerCase(Locale.ROOT)) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new NumberFormatException();
                };
            }
            if (type == Character.class) {
                if (value.length() != 1) {
                    throw new NumberFormatException();
                }
                return value.charAt(0);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not " + article(type));
        }
        return text;
    }

    private static String article(Class<?> type) {
        if (type == Boolean.class) {
            return "true or false";
        }
        if (type == Character.class) {
            return "a single character";
        }
        if (type == Double.class || type == Float.class) {
            return "a number";
        }
        return "a whole number in the range of " + type.getSimpleName();
    }

    private static Object toArray(Class<?> type, List<Object> values) {
        Object array = Array.newInstance(type, values.size());
        for (int i = 0; i < values.size(); i++) {
            Array.set(array, i, values.get(i));
        }
        return array;
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "boolean" -> Boolean.class;
            default -> Character.class;
        };
    }

    @SuppressWarnings("deprecation") // BIGINTEGER and BIGDECIMAL are read as text, as the spec deprecated them
    private static Class<?> javaType(int metatypeType) {
        return switch (metatypeType) {
            case AttributeDefinition.LONG -> Long.class;
            case AttributeDefinition.INTEGER -> Integer.class;
            case AttributeDefinition.SHORT -> Short.class;
            case AttributeDefinition.CHARACTER -> Character.class;
            case AttributeDefinition.BYTE -> Byte.class;
            case AttributeDefinition.DOUBLE -> Double.class;
            case AttributeDefinition.FLOAT -> Float.class;
            case AttributeDefinition.BOOLEAN -> Boolean.class;
            default -> String.class;
        };
    }
}
