package dev.pathpoint.sysctl.internal.update;

import java.util.Map;

/** A capability in some namespace ({@code osgi.wiring.package}, {@code osgi.ee}, ...) with its attributes. */
record ProvidedCapability(String namespace, Map<String, Object> attributes) {

    ProvidedCapability {
        attributes = Map.copyOf(attributes);
    }
}
