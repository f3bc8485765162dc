package dev.pathpoint.sysctl.internal.update;

import java.util.List;
import java.util.Map;

/**
 * One clause of an OSGi manifest header: the names it applies to ({@code a;b}), its attributes
 * ({@code name=value}, typed ones like {@code version:Version=1.0} converted) and its directives
 * ({@code name:=value}).
 */
record HeaderClause(List<String> names, Map<String, Object> attributes, Map<String, String> directives) {

    HeaderClause {
        names = List.copyOf(names);
        attributes = Map.copyOf(attributes);
        directives = Map.copyOf(directives);
    }

    String firstName() {
        return names.get(0);
    }

    String attribute(String name) {
        Object value = attributes.get(name);
        return value == null ? null : value.toString();
    }

    String directive(String name) {
        return directives.get(name);
    }

    /** Whether {@code resolution:=optional} is set: an unmet optional requirement does not block resolution. */
    boolean isOptional() {
        return "optional".equals(directives.get("resolution"));
    }
}
