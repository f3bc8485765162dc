package dev.pathpoint.modbus.internal.config;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the properties of a Config Admin configuration by the keys of its metatype annotation, with
 * the annotation's defaults, and collects every value that is not of its type as a problem a person
 * understands ({@code transport 'TCPX' is not one of TCP, RTU, RTU_OVER_TCP, UDP}) instead of the
 * framework's conversion errors. Values arrive as typed {@code .config} entries, as the strings of
 * {@code .cfg} files or from a console, so both are accepted. A bad value reads as its default, and
 * the problem is kept: callers check {@link #problems()} before using what they read.
 */
public final class ConfigValues {
    private final Map<String, ?> properties;
    private final Class<?> definition;
    private final List<String> problems = new ArrayList<>();

    /** @param definition the configuration annotation whose methods name the keys and hold the defaults */
    public ConfigValues(Map<String, ?> properties, Class<?> definition) {
        this.properties = properties;
        this.definition = definition;
    }

    /** Every problem found so far, in reading order. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Records a problem found by the caller (a value of the right type that makes no sense). */
    public void problem(String message) {
        problems.add(message);
    }

    /** The raw value of a key, or null if the configuration does not set it. */
    public Object raw(String key) {
        return properties.get(key);
    }

    public String text(String key) {
        Object value = single(key);
        return value == null ? (String) defaultOf(key) : value.toString();
    }

    public String[] texts(String key) {
        Object value = properties.get(key);
        if (value == null) {
            return (String[]) defaultOf(key);
        }
        if (value instanceof String[] strings) {
            return strings.clone();
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toArray(String[]::new);
        }
        if (value.getClass().isArray()) {
            return Arrays.stream((Object[]) value).map(String::valueOf).toArray(String[]::new);
        }
        return new String[] {value.toString()};
    }

    public int integer(String key) {
        Object value = single(key);
        int fallback = (Integer) defaultOf(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Long number) {
            return fits(key, number, fallback);
        }
        if (value instanceof Number number) {
            double real = number.doubleValue();
            if (real == Math.rint(real) && Math.abs(real) <= Integer.MAX_VALUE) {
                return (int) real;
            }
            problems.add(key + " " + value + " is not a whole number");
            return fallback;
        }
        String text = value.toString().trim();
        try {
            return fits(key, Long.parseLong(text), fallback);
        } catch (NumberFormatException e) {
            problems.add(key + " '" + value + "' is not a whole number");
            return fallback;
        }
    }

    private int fits(String key, long value, int fallback) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            problems.add(key + " " + value + " is far too large");
            return fallback;
        }
        return (int) value;
    }

    public boolean flag(String key) {
        Object value = single(key);
        if (value == null) {
            return (Boolean) defaultOf(key);
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        problems.add(key + " '" + value + "' is not true or false");
        return (Boolean) defaultOf(key);
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        Object value = single(key);
        @SuppressWarnings("unchecked")
        E fallback = (E) defaultOf(key);
        if (value == null) {
            return fallback;
        }
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        String text = value.toString().trim();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        problems.add(key + " '" + value + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")));
        return fallback;
    }

    /** A comma-separated list of Modbus unit ids (0..255); empty means none listed. */
    public Set<Integer> unitIds(String key) {
        String text = text(key);
        Set<Integer> units = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                int unit = Integer.parseInt(trimmed);
                if (unit < 0 || unit > 255) {
                    problems.add(key + " '" + text + "': " + unit + " is outside 0..255");
                } else {
                    units.add(unit);
                }
            } catch (NumberFormatException e) {
                problems.add(key + " '" + text + "': '" + trimmed + "' is not a unit id (expected whole numbers 0..255 "
                        + "separated by commas, e.g. 1,2,3)");
            }
        }
        return units;
    }

    /** A scalar value; a list of one is taken as its element, a longer one is a problem. */
    private Object single(String key) {
        Object value = properties.get(key);
        if (value instanceof Collection<?> collection) {
            value = collection.size() == 1 ? collection.iterator().next() : listProblem(key, collection.size());
        } else if (value != null && value.getClass().isArray()) {
            Object[] array = value instanceof Object[] objects ? objects : null;
            value = array != null && array.length == 1 ? array[0] : listProblem(key, array == null ? -1 : array.length);
        }
        return value;
    }

    private Object listProblem(String key, int size) {
        problems.add(key + " takes one value, not a list" + (size >= 0 ? " of " + size : ""));
        return null;
    }

    private Object defaultOf(String key) {
        try {
            Method method = definition.getMethod(key.replace('.', '_'));
            return method.getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(definition.getSimpleName() + " has no property " + key, e);
        }
    }

    /** The keys the configuration sets that the definition does not know (typing mistakes), sorted. */
    public List<String> unknownKeys() {
        List<String> unknown = new ArrayList<>();
        for (String key : properties.keySet()) {
            if (key.contains(".") || key.startsWith("felix") || key.startsWith("component")) {
                continue; // framework and tool properties (service.pid, felix.fileinstall.filename, ...) and ours with dots
            }
            try {
                definition.getMethod(key);
            } catch (NoSuchMethodException e) {
                unknown.add(key);
            }
        }
        unknown.sort(String.CASE_INSENSITIVE_ORDER);
        return unknown;
    }
}
