package dev.pathpoint.modbus.internal;

import dev.pathpoint.api.failure.OperationFailedException;
import dev.pathpoint.api.failure.OperationFailedReason;
import dev.pathpoint.modbus.internal.link.DeviceException;
import dev.pathpoint.modbus.internal.link.LinkFailure;
import dev.pathpoint.modbus.internal.link.Pdus;
import dev.pathpoint.modbus.internal.plan.WriteRequest;
import java.util.List;

/**
 * The planned writes of one batch, carried out on the connection's thread one request at a time, in
 * plan order (overlapping writes must land in order). A request that fails fails its operations with
 * the reason its answer (or its absence) maps to; once every request has run, the operations still
 * open complete with the value written.
 */
final class WriteRun {
    private final LinkSupervisor link;
    private final ConnectionCounters counters;

    WriteRun(LinkSupervisor link, ConnectionCounters counters) {
        this.link = link;
        this.counters = counters;
    }

    /** Runs the planned requests; returns when every one has ended. */
    void run(List<WriteRequest<Job>> plan) {
        for (WriteRequest<Job> request : plan) {
            if (request.tags().stream().allMatch(job -> job.operation().isDone())) {
                continue; // an earlier part of these writes failed already, or the engine ended them
            }
            try {
                send(request);
            } catch (DeviceException e) {
                counters.deviceExceptions.incrementAndGet();
                fail(request, e.reason(), e.getMessage());
            } catch (LinkFailure e) {
                fail(request, e.reason(), e.getMessage());
            }
        }
        for (WriteRequest<Job> request : plan) {
            for (Job job : request.tags()) {
                job.operation().complete(job.value());
            }
        }
    }

    private void send(WriteRequest<Job> request) throws DeviceException, LinkFailure {
        int unit = request.unit();
        if (request instanceof WriteRequest.Registers<Job> registers) {
            byte[] pdu = registers.multiple() ? Pdus.writeRegisters(registers.start(), registers.values())
                    : Pdus.writeRegister(registers.start(), registers.values()[0]);
            checkAnswer(pdu, link.transact(unit, pdu));
        } else if (request instanceof WriteRequest.Coils<Job> coils) {
            byte[] pdu = coils.values().length == 1 ? Pdus.writeCoil(coils.start(), coils.values()[0])
                    : Pdus.writeCoils(coils.start(), coils.values());
            checkAnswer(pdu, link.transact(unit, pdu));
        } else if (request instanceof WriteRequest.RegisterBits<Job> bits) {
            if (bits.maskWrite()) {
                byte[] pdu = Pdus.maskWrite(bits.address(), bits.andMask(), bits.orMask());
                checkAnswer(pdu, link.transact(unit, pdu));
            } else {
                byte[] answer = link.transact(unit, Pdus.readRequest(3, bits.address(), 1));
                int old;
                try {
                    old = Pdus.registers(3, 1, answer)[0];
                } catch (LinkFailure e) {
                    link.malformed(e.getMessage());
                    throw e;
                }
                byte[] pdu = Pdus.writeRegister(bits.address(), (old & bits.andMask()) | bits.orMask());
                checkAnswer(pdu, link.transact(unit, pdu));
            }
        }
    }

    private void checkAnswer(byte[] pdu, byte[] answer) throws DeviceException, LinkFailure {
        try {
            Pdus.checkWriteAnswer(pdu, answer);
        } catch (LinkFailure e) {
            link.malformed(e.getMessage());
            throw e;
        }
    }

    private static void fail(WriteRequest<Job> request, OperationFailedReason reason, String message) {
        for (Job job : request.tags()) {
            job.operation().fail(new OperationFailedException(reason, request + ": " + message));
        }
    }
}
