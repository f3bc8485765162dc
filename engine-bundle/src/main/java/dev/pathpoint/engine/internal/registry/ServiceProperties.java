package dev.pathpoint.engine.internal.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads the standard OSGi service properties the engine routes on. */
public final class ServiceProperties {
    public static final String SERVICE_RANKING = "service.ranking";
    public static final String SERVICE_ID = "service.id";

    private ServiceProperties() {
    }

    /** {@code service.ranking}, 0 if absent or not an Integer (as the OSGi framework treats it). */
    public static int ranking(Map<String, ?> properties) {
        return properties.get(SERVICE_RANKING) instanceof Integer ranking ? ranking : 0;
    }

    /** {@code service.id}, or -1 if absent (services registered outside a framework, as in tests). */
    public static long serviceId(Map<String, ?> properties) {
        return properties.get(SERVICE_ID) instanceof Number id ? id.longValue() : -1;
    }

    /** A property holding a String, a String[] or a collection of Strings, as a list. */
    public static List<String> strings(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        List<String> result = new ArrayList<>();
        if (value instanceof String text) {
            result.add(text);
        } else if (value instanceof String[] texts) {
            result.addAll(List.of(texts));
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> result.add(String.valueOf(item)));
        }
        return result;
    }

    /** A single String property, or null. */
    public static String string(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        return value == null ? null : String.valueOf(value);
    }
}
