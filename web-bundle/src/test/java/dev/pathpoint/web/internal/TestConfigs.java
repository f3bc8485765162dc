package dev.pathpoint.web.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** {@link WebConfig} instances for tests: the defaults, with some properties overridden by method name. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static WebConfig config(Map<String, Object> overrides) {
        return (WebConfig) Proxy.newProxyInstance(WebConfig.class.getClassLoader(), new Class<?>[] {WebConfig.class},
                (proxy, method, args) -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                        : method.getDefaultValue());
    }

    public static WebSettings settings(Map<String, Object> overrides) {
        return WebSettings.from(config(overrides));
    }
}
