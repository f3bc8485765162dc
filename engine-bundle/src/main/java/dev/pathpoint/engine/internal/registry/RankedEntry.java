package dev.pathpoint.engine.internal.registry;

import java.util.Comparator;

/** A service as ranked by OSGi: highest {@code service.ranking} first, then lowest {@code service.id}. */
public interface RankedEntry {
    Comparator<RankedEntry> BEST_FIRST = Comparator.comparingInt(RankedEntry::ranking).reversed()
            .thenComparingLong(RankedEntry::serviceId);

    int ranking();

    long serviceId();
}
