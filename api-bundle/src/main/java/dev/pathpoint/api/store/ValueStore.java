package dev.pathpoint.api.store;

import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The last reading of every pathpoint read so far (the seed's {@code current_value}). */
@ProviderType
public interface ValueStore {

    /** The last reading of a pathpoint, if it was ever read. */
    Optional<Reading> reading(String pathpoint);

    /** A snapshot of the last reading of every pathpoint, by name. */
    Map<String, Reading> readings();
}
