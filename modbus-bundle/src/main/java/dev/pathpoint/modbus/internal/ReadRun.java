package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.api.value.PathpointValue;
import dev.pathpoint.modbus.internal.link.DeviceException;
import dev.pathpoint.modbus.internal.link.Frame;
import dev.pathpoint.modbus.internal.link.LinkFailure;
import dev.pathpoint.modbus.internal.link.Pdus;
import dev.pathpoint.modbus.internal.name.Area;
import dev.pathpoint.modbus.internal.name.ValueCodec;
import dev.pathpoint.modbus.internal.plan.HoleMap;
import dev.pathpoint.modbus.internal.plan.ReadItem;
import dev.pathpoint.modbus.internal.plan.ReadRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planned reads of one batch, carried out on the connection's thread through its
 * {@link LinkSupervisor}: one request at a time, or, on a connection that allows it, up to
 * {@code maxOutstandingRequests} at once with answers matched by transaction id. Either way each request ends the same: its operations complete with their values,
 * or fail with the reason the answer (or its absence) maps to.
 *
 * <p>A merged read refused with exception 02 (illegal data address) is halved and both halves read
 * again, down to single pathpoints, which then truly do not exist. Every address range the splitting
 * shows to be unreadable is remembered in the connection's {@link HoleMap}, so that later plans do not
 * merge over it: the gap between two halves that both read cleanly (it must hold the bad address);
 * and, when a half had a hole of its own that may explain the refusal alone, the gap itself, read once
 * on its own to find out. So after the first failure every hole the reads can run into is known.
 */
final class ReadRun {

    private enum Outcome { OK, HOLE, FAILED }

    /** One read request, and for a split one, its halves and the probe of the gap between them. */
    private final class Node {
        final ReadRequest<Job> request;
        final Node parent;
        /** A read of a gap nobody asked for, to learn whether it is a hole. */
        final boolean probe;
        Node left;
        Node right;
        Node gapProbe;
        int pendingHalves;
        Outcome outcome;

        Node(ReadRequest<Job> request, Node parent, boolean probe) {
            this.request = request;
            this.parent = parent;
            this.probe = probe;
        }

        void finished(Node child) {
            if (child == gapProbe) {
                finish(this, Outcome.HOLE);
                return;
            }
            if (--pendingHalves > 0) {
                return;
            }
            if (left.outcome == Outcome.FAILED || right.outcome == Outcome.FAILED) {
                finish(this, Outcome.FAILED); // no answer for part of it: nothing can be concluded
                return;
            }
            int gapStart = left.request.end() + 1;
            int gapEnd = right.request.start() - 1;
            if (gapStart > gapEnd) {
                finish(this, Outcome.HOLE);
            } else if (left.outcome == Outcome.OK && right.outcome == Outcome.OK) {
                holes.add(request.unit(), request.area(), gapStart, gapEnd);
                finish(this, Outcome.HOLE);
            } else {
                gapProbe = new Node(new ReadRequest<>(request.unit(), request.area(), gapStart, gapEnd - gapStart + 1, List.of()),
                        this, true);
                ready.addFirst(gapProbe);
            }
        }
    }

    /** A request on the wire, waiting for its answer. */
    private record Sent(int transactionId, Node node, long deadlineNanos) {
    }

    private final ConnectionSettings settings;
    private final LinkSupervisor link;
    private final HoleMap holes;
    private final ConnectionCounters counters;
    private final Deque<Node> ready = new ArrayDeque<>();

    ReadRun(ConnectionSettings settings, LinkSupervisor link, HoleMap holes, ConnectionCounters counters) {
        this.settings = settings;
        this.link = link;
        this.holes = holes;
        this.counters = counters;
    }

    /** Runs the planned requests; returns when every one has ended. */
    void run(List<ReadRequest<Job>> plan) {
        for (ReadRequest<Job> request : plan) {
            ready.addLast(new Node(request, null, false));
        }
        if (link.pipelines()) {
            runPipelined(settings.maxOutstandingRequests());
        } else {
            runOneAtATime();
        }
    }

    private void runOneAtATime() {
        Node node;
        while ((node = next()) != null) {
            try {
                answered(node, link.transact(node.request.unit(), pdu(node)));
            } catch (LinkFailure e) {
                failed(node, e.reason(), node.request + ": " + e.getMessage());
            }
        }
    }

    private void runPipelined(int depth) {
        Map<Integer, Sent> outstanding = new LinkedHashMap<>();
        long timeoutNanos = settings.responseTimeoutMillis() * 1_000_000L;
        while (true) {
            Node node;
            while (outstanding.size() < depth && (node = next()) != null) {
                try {
                    int id = link.send(node.request.unit(), pdu(node));
                    outstanding.put(id, new Sent(id, node, System.nanoTime() + timeoutNanos));
                } catch (LinkFailure e) {
                    failed(node, e.reason(), node.request + ": " + e.getMessage());
                    if (e.linkClosed()) {
                        failAll(outstanding, e.reason(), e.getMessage());
                    }
                }
            }
            if (outstanding.isEmpty()) {
                if (ready.isEmpty()) {
                    return;
                }
                continue;
            }
            // all wait as long, so the first sent is the first due
            Sent first = outstanding.values().iterator().next();
            Frame frame;
            try {
                frame = link.receive(first.deadlineNanos());
            } catch (LinkFailure e) {
                failAll(outstanding, e.reason(), e.getMessage());
                continue;
            }
            if (frame == null) {
                outstanding.remove(first.transactionId());
                String message = "no answer within " + settings.responseTimeoutMillis() + " ms";
                boolean closed = link.unanswered(first.node().request + ": " + message);
                failed(first.node(), OperationFailedReason.TIMEOUT, first.node().request + ": " + message);
                if (closed) {
                    failAll(outstanding, OperationFailedReason.TIMEOUT, "the connection was reopened: requests in a row "
                            + "got nothing back");
                }
                continue;
            }
            Sent sent = outstanding.remove(frame.transactionId());
            if (sent == null) {
                link.stale();
            } else if (frame.unit() != sent.node().request.unit()) {
                String message = "answer from unit " + frame.unit() + ", expected " + sent.node().request.unit();
                link.malformed(message);
                failed(sent.node(), OperationFailedReason.MALFORMED, sent.node().request + ": " + message);
            } else {
                answered(sent.node(), frame.pdu());
            }
        }
    }

    /** The next request to send, skipping those whose operations have all ended meanwhile (the engine timed them out). */
    private Node next() {
        Node node;
        while ((node = ready.pollFirst()) != null) {
            if (node.probe || node.request.items().stream().anyMatch(item -> !item.tag().operation().isDone())) {
                return node;
            }
            counters.droppedOperations.addAndGet(node.request.items().size());
            finish(node, Outcome.FAILED);
        }
        return null;
    }

    private static byte[] pdu(Node node) {
        ReadRequest<Job> request = node.request;
        return Pdus.readRequest(request.area().readFunctionCode(), request.start(), request.count());
    }

    private void failAll(Map<Integer, Sent> outstanding, OperationFailedReason reason, String message) {
        for (Iterator<Sent> sent = outstanding.values().iterator(); sent.hasNext(); ) {
            Node node = sent.next().node();
            sent.remove();
            failed(node, reason, node.request + ": " + message);
        }
    }

    private void answered(Node node, byte[] answer) {
        ReadRequest<Job> request = node.request;
        Area area = request.area();
        int functionCode = area.readFunctionCode();
        try {
            if (area.holdsRegisters()) {
                int[] registers = Pdus.registers(functionCode, request.count(), answer);
                for (ReadItem<Job> item : request.items()) {
                    PathpointValue value = ValueCodec.decode(item.tag().pathpoint(), registers, item.start() - request.start(),
                            settings.defaultOrder());
                    item.tag().operation().complete(value);
                }
            } else {
                boolean[] bits = Pdus.bits(functionCode, request.count(), answer);
                for (ReadItem<Job> item : request.items()) {
                    item.tag().operation().complete(PathpointValue.of(bits[item.start() - request.start()] ? 1 : 0));
                }
            }
            finish(node, Outcome.OK);
        } catch (DeviceException e) {
            counters.deviceExceptions.incrementAndGet();
            if (e.code() == DeviceException.ILLEGAL_DATA_ADDRESS) {
                refusedAddress(node, e);
            } else {
                failed(node, e.reason(), request + ": " + e.getMessage());
            }
        } catch (LinkFailure e) {
            link.malformed(request + ": " + e.getMessage());
            failed(node, e.reason(), request + ": " + e.getMessage());
        }
    }

    /** Exception 02: a gap probe or a single pathpoint is a hole; a merged read is halved and both halves read. */
    private void refusedAddress(Node node, DeviceException e) {
        ReadRequest<Job> request = node.request;
        List<ReadItem<Job>> items = request.items();
        if (node.probe) {
            holes.add(request.unit(), request.area(), request.start(), request.end());
            finish(node, Outcome.HOLE);
            return;
        }
        if (items.size() == 1) {
            ReadItem<Job> item = items.get(0);
            holes.add(request.unit(), request.area(), item.start(), item.end());
            fail(items, OperationFailedReason.INVALID, "pathpoint " + item.tag().pathpoint().name() + ": " + e.getMessage());
            finish(node, Outcome.HOLE);
            return;
        }
        int middle = items.size() / 2;
        node.left = new Node(ReadRequest.covering(items.subList(0, middle)), node, false);
        node.right = new Node(ReadRequest.covering(items.subList(middle, items.size())), node, false);
        node.pendingHalves = 2;
        ready.addFirst(node.right);
        ready.addFirst(node.left);
    }

    private void failed(Node node, OperationFailedReason reason, String message) {
        fail(node.request.items(), reason, message);
        finish(node, Outcome.FAILED);
    }

    private void finish(Node node, Outcome outcome) {
        node.outcome = outcome;
        if (node.parent != null) {
            node.parent.finished(node);
        }
    }

    private static void fail(List<ReadItem<Job>> items, OperationFailedReason reason, String message) {
        for (ReadItem<Job> item : items) {
            item.tag().operation().fail(new OperationFailedException(reason, message));
        }
    }
}
