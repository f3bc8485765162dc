package dev.pathpoint.api.order;

/** Acknowledge a message, named by its uuid, through a message handler. Tries: 3. */
public final class MessageOrder extends Order {
    private final String uuid;

    public MessageOrder(String uuid) {
        super(3);
        this.uuid = requireText(uuid, "uuid");
    }

    public String uuid() {
        return uuid;
    }

    @Override
    public String toString() {
        return "message " + uuid;
    }
}
