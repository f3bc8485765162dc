package dev.pathpoint.api.order;

/** Read a pathpoint. Tries: 3 under {@link AdviseLevel#ADVISE}, 20 under {@link AdviseLevel#FORCE}. */
public final class ReadOrder extends PathpointOrder {

    public ReadOrder(String pathpoint, AdviseLevel advise) {
        super(pathpoint, advise, 3, 20);
    }

    @Override
    public String toString() {
        return "read " + pathpoint() + " (" + advise() + ")";
    }
}
