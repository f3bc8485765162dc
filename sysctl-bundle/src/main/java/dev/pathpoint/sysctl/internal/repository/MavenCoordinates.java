package dev.pathpoint.sysctl.internal.repository;

import java.util.Optional;
import java.util.regex.Pattern;

/** A Maven artifact's group, artifact id and (for an installed bundle) version. */
public record MavenCoordinates(String groupId, String artifactId, String version) {

    /** Maven's own rule for ids: letters, digits, '.', '_' and '-'; nothing that could leave a URL path segment. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    public MavenCoordinates {
        if (!isId(groupId) || !isId(artifactId) || version != null && !isId(version)) {
            throw new IllegalArgumentException("not valid Maven coordinates: " + groupId + ":" + artifactId
                    + (version == null ? "" : ":" + version));
        }
    }

    static boolean isId(String text) {
        return text != null && ID.matcher(text).matches() && !text.equals(".") && !text.equals("..");
    }

    /** {@code mvn:group/artifact/version[/type[/classifier]]}, as Karaf and pax-url name bundle locations. */
    public static Optional<MavenCoordinates> fromLocation(String location) {
        if (location == null || !location.startsWith("mvn:")) {
            return Optional.empty();
        }
        String[] parts = location.substring("mvn:".length()).split("/");
        if (parts.length < 3 || parts[0].contains("!") || parts[0].contains("@")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MavenCoordinates(parts[0], parts[1], parts[2]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The directory of this artifact in a Maven repository, e.g. {@code dev/pathpoint/dev.pathpoint.modbus/}. */
    String artifactPath() {
        return groupId.replace('.', '/') + "/" + artifactId + "/";
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + (version == null ? "" : ":" + version);
    }
}
