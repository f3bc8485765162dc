package dev.pathpoint.sysctl.internal.update;

import dev.pathpoint.sysctl.internal.repository.MavenCoordinates;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.osgi.framework.Bundle;

/**
 * An installed bundle's Maven coordinates: from its {@code mvn:} location (Karaf), else from the
 * one {@code META-INF/maven/.../pom.properties} the Maven build put into the jar.
 */
final class MavenDescriptor {

    private MavenDescriptor() {
    }

    static Optional<MavenCoordinates> of(Bundle bundle) {
        Optional<MavenCoordinates> fromLocation = MavenCoordinates.fromLocation(bundle.getLocation());
        if (fromLocation.isPresent()) {
            return fromLocation;
        }
        Enumeration<URL> descriptors;
        try {
            descriptors = bundle.findEntries("META-INF/maven", "pom.properties", true);
        } catch (IllegalStateException e) {
            return Optional.empty(); // uninstalled meanwhile
        }
        List<URL> found = new ArrayList<>();
        while (descriptors != null && descriptors.hasMoreElements()) {
            found.add(descriptors.nextElement());
        }
        if (found.size() != 1) {
            return Optional.empty(); // none, or a jar embedding others: not telling which is the bundle
        }
        Properties properties = new Properties();
        try (InputStream in = found.get(0).openStream()) {
            properties.load(in);
            return Optional.of(new MavenCoordinates(properties.getProperty("groupId"), properties.getProperty("artifactId"),
                    properties.getProperty("version")));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
