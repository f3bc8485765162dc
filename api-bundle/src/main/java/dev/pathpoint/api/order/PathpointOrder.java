package dev.pathpoint.api.order;

/** An order that reads or writes one pathpoint through a driver. */
public abstract sealed class PathpointOrder extends Order permits ReadOrder, WriteOrder {
    private final String pathpoint;
    private final AdviseLevel advise;

    PathpointOrder(String pathpoint, AdviseLevel advise, int adviseTries, int forceTries) {
        super(requireNonNull(advise, "advise") == AdviseLevel.FORCE ? forceTries : adviseTries);
        this.pathpoint = requireText(pathpoint, "pathpoint");
        this.advise = advise;
    }

    /** The pathpoint's name, e.g. {@code W1r4002}. */
    public final String pathpoint() {
        return pathpoint;
    }

    public final AdviseLevel advise() {
        return advise;
    }
}
