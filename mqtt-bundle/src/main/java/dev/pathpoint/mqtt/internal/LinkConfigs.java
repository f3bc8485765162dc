package dev.pathpoint.mqtt.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A {@link LinkConfig} outside a framework (tests, benchmarks): the given values by attribute name,
 * the annotation's defaults for the rest, as Declarative Services would hand it over.
 */
public final class LinkConfigs {
    private LinkConfigs() {
    }

    public static LinkConfig of(Map<String, ?> values) {
        return (LinkConfig) Proxy.newProxyInstance(LinkConfig.class.getClassLoader(), new Class<?>[] {LinkConfig.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return LinkConfig.class;
                        case "toString":
                            return "LinkConfig" + values;
                        case "hashCode":
                            return values.hashCode();
                        case "equals":
                            return proxy == args[0];
                        default:
                            return value(method, values);
                    }
                });
    }

    private static Object value(Method method, Map<String, ?> values) {
        Object value = values.get(method.getName());
        if (value == null) {
            value = method.getDefaultValue();
        }
        if (value == null) {
            throw new IllegalArgumentException(method.getName() + " has no default and was not given");
        }
        Class<?> type = method.getReturnType();
        if (type == int.class && value instanceof Number number) {
            return number.intValue();
        }
        if (type == long.class && value instanceof Number number) {
            return number.longValue();
        }
        return value;
    }
}
