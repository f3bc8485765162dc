package dev.pathpoint.web.internal.stream;

import dev.pathpoint.api.store.PathpointListener;
import dev.pathpoint.api.store.Reading;
import dev.pathpoint.web.internal.api.Json;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The server-sent events of readings as they change: registered as a {@link PathpointListener}, it
 * hands each change to every client whose filter takes the pathpoint. The store's notification thread
 * only renders the event once and queues it; the writing happens on the worker.
 */
public final class ValueStream implements PathpointListener {
    private final Executor worker;
    private final List<StreamClient> clients = new CopyOnWriteArrayList<>();
    private volatile int maxClients;
    private volatile int maxPending;

    /** More clients than allowed. */
    public static final class TooManyClients extends Exception {
        private static final long serialVersionUID = 1L;

        TooManyClients(int limit) {
            super(limit + " clients are on the value stream already");
        }
    }

    public ValueStream(Executor worker, int maxClients, int maxPending) {
        this.worker = worker;
        this.maxClients = maxClients;
        this.maxPending = maxPending;
    }

    public void limits(int maxClients, int maxPending) {
        this.maxClients = maxClients;
        this.maxPending = maxPending;
    }

    /** Adds a client, to {@link StreamClient#start} once its response can be written; its first frame says the stream is live. */
    public synchronized StreamClient open(StreamClient.Sink sink, Predicate<String> filter) throws TooManyClients {
        if (clients.size() >= maxClients) {
            throw new TooManyClients(maxClients);
        }
        StreamClient[] self = new StreamClient[1];
        StreamClient client = new StreamClient(sink, filter, maxPending, worker,
                "retry: 3000\nevent: ready\ndata: {}\n\n", () -> clients.remove(self[0]));
        self[0] = client;
        clients.add(client);
        return client;
    }

    @Override
    public void readingChanged(Optional<Reading> previous, Reading current) {
        String frame = null;
        for (StreamClient client : clients) {
            if (client.wants(current.pathpoint())) {
                if (frame == null) {
                    frame = "event: reading\ndata: " + Json.reading(current) + "\n\n";
                }
                client.offer(current.pathpoint(), frame);
            }
        }
    }

    @Override
    public void readingRemoved(Reading last) {
        String frame = null;
        for (StreamClient client : clients) {
            if (client.wants(last.pathpoint())) {
                if (frame == null) {
                    frame = "event: removed\ndata: " + Json.object().put("pathpoint", last.pathpoint()) + "\n\n";
                }
                client.offer(last.pathpoint(), frame);
            }
        }
    }

    public void heartbeat() {
        clients.forEach(StreamClient::heartbeat);
    }

    public int clients() {
        return clients.size();
    }

    /** Changes waiting to be written, over all clients (each client holds at most streamMaxPending). */
    public int pendingChanges() {
        return clients.stream().mapToInt(StreamClient::pending).sum();
    }

    /** Changes dropped because a client was too slow, over the clients connected now. */
    public long droppedChanges() {
        return clients.stream().mapToLong(StreamClient::dropped).sum();
    }

    public void closeAll() {
        for (StreamClient client : List.copyOf(clients)) {
            client.close();
        }
    }
}
