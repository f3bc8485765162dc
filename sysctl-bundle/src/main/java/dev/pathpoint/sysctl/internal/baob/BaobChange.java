package dev.pathpoint.sysctl.internal.baob;

import java.util.Optional;

/** The BAOB sysctl op types and the last segment of the event topic each one posts to. */
enum BaobChange {
    CREATED("baob-created"),
    UPDATED("baob-updated"),
    DELETED("baob-deleted");

    private final String opType;

    BaobChange(String opType) {
        this.opType = opType;
    }

    String opType() {
        return opType;
    }

    static Optional<BaobChange> ofOpType(String opType) {
        for (BaobChange change : values()) {
            if (change.opType.equals(opType)) {
                return Optional.of(change);
            }
        }
        return Optional.empty();
    }
}
