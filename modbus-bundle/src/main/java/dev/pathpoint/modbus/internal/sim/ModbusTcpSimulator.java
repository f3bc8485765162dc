package dev.pathpoint.modbus.internal.sim;

import com.ghgande.j2mod.modbus.msg.IllegalFunctionRequest;
import com.ghgande.j2mod.modbus.msg.MaskWriteRegisterRequest;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteCoilRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterRequest;
import dev.pathpoint.modbus.internal.link.Mbap;
import dev.pathpoint.modbus.internal.name.Area;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Modbus TCP server over a {@link SimulatorImage}, answering as a device would: requests are parsed
 * with j2mod's message classes after this class has checked their length, quantities beyond the
 * protocol limits get exception 03, addresses outside the image exception 02, unsupported functions
 * exception 01, and requests for a unit it does not serve exception 0B (as a gateway) or no answer.
 * Bounded: at most {@code maxConnections} clients (more are closed at once), idle clients are dropped.
 */
public final class ModbusTcpSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModbusTcpSimulator.class);

    /** What to do with a request for a unit the simulator does not serve. */
    public enum UnknownUnit {
        /** Answer exception 0B, as a gateway whose target does not respond. */
        GATEWAY_EXCEPTION,
        /** Do not answer, as a device on a bus would. */
        NO_ANSWER
    }

    /** How the simulator is set up. */
    public record Options(String bindAddress, int port, Set<Integer> unitIds, UnknownUnit unknownUnit, boolean maskWrites,
            int maxConnections, int idleTimeoutMillis) {
        public Options {
            unitIds = Set.copyOf(unitIds);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, is " + port);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be positive, is " + maxConnections);
            }
            if (idleTimeoutMillis < 1) {
                throw new IllegalArgumentException("idleTimeoutMillis must be positive, is " + idleTimeoutMillis);
            }
        }

        /** Loopback on a free port, unit 1, everything else default. */
        public static Options loopback() {
            return new Options("127.0.0.1", 0, Set.of(1), UnknownUnit.GATEWAY_EXCEPTION, true, 16, 300_000);
        }

        public Options withUnits(Set<Integer> units, UnknownUnit behaviour) {
            return new Options(bindAddress, port, units, behaviour, maskWrites, maxConnections, idleTimeoutMillis);
        }

        public Options withMaskWrites(boolean supported) {
            return new Options(bindAddress, port, unitIds, unknownUnit, supported, maxConnections, idleTimeoutMillis);
        }

        public Options withPort(int newPort) {
            return new Options(bindAddress, newPort, unitIds, unknownUnit, maskWrites, maxConnections, idleTimeoutMillis);
        }
    }

    private final SimulatorImage image;
    private final Options options;
    private final ServerSocket server;
    private final Semaphore connectionSlots;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLongArray requestsByFunction = new AtomicLongArray(128);
    private final Thread acceptor;
    private volatile boolean closed;

    /** Binds and starts serving. */
    public ModbusTcpSimulator(SimulatorImage image, Options options) throws IOException {
        this.image = image;
        this.options = options;
        this.connectionSlots = new Semaphore(options.maxConnections());
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(options.bindAddress()), options.port()), 50);
        acceptor = new Thread(this::accept, "modbus-simulator-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public SimulatorImage image() {
        return image;
    }

    public Options options() {
        return options;
    }

    /** Requests received with a function code, answered or not. */
    public long requests(int functionCode) {
        return requestsByFunction.get(functionCode & 0x7F);
    }

    /** Clients connected now. */
    public int connectedClients() {
        return clients.size();
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Modbus simulator on port {} stopped accepting: {}", port(), e.toString());
                }
                return;
            }
            if (!connectionSlots.tryAcquire()) {
                LOG.warn("Modbus simulator on port {} refuses a client: {} connected already", port(), options.maxConnections());
                closeQuietly(socket);
                continue;
            }
            clients.add(socket);
            Thread thread = new Thread(() -> serve(socket), "modbus-simulator-client-" + socket.getPort());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
            if (closed) {
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(options.idleTimeoutMillis());
            socket.setTcpNoDelay(true);
            // buffered: a client with several requests outstanding is served from one read, answered in one write
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            byte[] header = new byte[7];
            while (!closed) {
                readFully(in, header, 7);
                int transactionId = Mbap.u16(header, 0);
                int protocol = Mbap.u16(header, 2);
                int length = Mbap.u16(header, 4);
                int unit = header[6] & 0xFF;
                if (protocol != 0 || length < 2 || length > 254) {
                    LOG.debug("Modbus simulator drops a client that sent a bad MBAP header");
                    return;
                }
                byte[] pdu = new byte[length - 1];
                readFully(in, pdu, pdu.length);
                byte[] answer = answer(unit, pdu);
                if (answer != null) {
                    out.write(Mbap.frame(transactionId, unit, answer));
                }
                if (in.available() == 0) {
                    out.flush(); // nothing more has come in: the answers so far go out now
                }
            }
        } catch (EOFException | SocketTimeoutException e) {
            // client left or idled out
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("Modbus simulator client error: {}", e.toString());
            }
        } finally {
            clients.remove(socket);
            threads.remove(Thread.currentThread());
            connectionSlots.release();
        }
    }

    private static void readFully(InputStream in, byte[] buffer, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int count = in.read(buffer, done, length - done);
            if (count < 0) {
                throw new EOFException();
            }
            done += count;
        }
    }

    /** The answer PDU to a request PDU for a unit, or null for no answer. */
    byte[] answer(int unit, byte[] pdu) {
        int functionCode = pdu[0] & 0xFF;
        requestsByFunction.incrementAndGet(functionCode & 0x7F);
        if (!options.unitIds().isEmpty() && !options.unitIds().contains(unit)) {
            return options.unknownUnit() == UnknownUnit.NO_ANSWER ? null : exception(functionCode, 0x0B);
        }
        int dataLength = pdu.length - 1;
        Integer expected = switch (functionCode) {
            case 1, 2, 3, 4, 5, 6 -> 4;
            case 22 -> options.maskWrites() ? 6 : null;
            case 15, 16 -> dataLength >= 5 ? 5 + (pdu[5] & 0xFF) : -1;
            default -> null;
        };
        if (expected == null) {
            return exception(functionCode, 0x01);
        }
        if (dataLength != expected) {
            return exception(functionCode, 0x03);
        }
        if (functionCode == 15 || functionCode == 16) {
            int quantity = ((pdu[3] & 0xFF) << 8) | (pdu[4] & 0xFF);
            int byteCount = pdu[5] & 0xFF;
            if (byteCount != (functionCode == 15 ? (quantity + 7) / 8 : quantity * 2)) {
                return exception(functionCode, 0x03);
            }
        }
        ModbusRequest request = ModbusRequest.createModbusRequest(functionCode);
        if (request instanceof IllegalFunctionRequest) {
            return exception(functionCode, 0x01);
        }
        try {
            request.readData(new DataInputStream(new ByteArrayInputStream(pdu, 1, dataLength)));
        } catch (IOException | RuntimeException e) {
            return exception(functionCode, 0x03);
        }
        try {
            return execute(functionCode, request, pdu);
        } catch (DeviceAnswer e) {
            return exception(functionCode, e.code);
        }
    }

    private static final class DeviceAnswer extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        DeviceAnswer(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private byte[] execute(int functionCode, ModbusRequest request, byte[] pdu) throws DeviceAnswer {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        answer.write(functionCode);
        switch (functionCode) {
            case 1, 2 -> {
                int start = functionCode == 1 ? ((ReadCoilsRequest) request).getReference()
                        : ((ReadInputDiscretesRequest) request).getReference();
                int count = functionCode == 1 ? ((ReadCoilsRequest) request).getBitCount()
                        : ((ReadInputDiscretesRequest) request).getBitCount();
                Area area = functionCode == 1 ? Area.COIL : Area.DISCRETE_INPUT;
                check(count >= 1 && count <= Area.MAX_READ_BITS, area, start, count);
                int[] bits = image.read(area, start, count);
                byte[] packed = new byte[(count + 7) / 8];
                for (int i = 0; i < count; i++) {
                    if (bits[i] != 0) {
                        packed[i / 8] |= (byte) (1 << (i % 8));
                    }
                }
                answer.write(packed.length);
                answer.writeBytes(packed);
            }
            case 3, 4 -> {
                int start = functionCode == 3 ? ((ReadMultipleRegistersRequest) request).getReference()
                        : ((ReadInputRegistersRequest) request).getReference();
                int count = functionCode == 3 ? ((ReadMultipleRegistersRequest) request).getWordCount()
                        : ((ReadInputRegistersRequest) request).getWordCount();
                Area area = functionCode == 3 ? Area.HOLDING_REGISTER : Area.INPUT_REGISTER;
                check(count >= 1 && count <= Area.MAX_READ_REGISTERS, area, start, count);
                answer.write(count * 2);
                for (int value : image.read(area, start, count)) {
                    answer.write(value >> 8);
                    answer.write(value);
                }
            }
            case 5 -> {
                WriteCoilRequest write = (WriteCoilRequest) request;
                int raw = ((pdu[3] & 0xFF) << 8) | (pdu[4] & 0xFF);
                check(raw == 0 || raw == 0xFF00, Area.COIL, write.getReference(), 1);
                image.write(Area.COIL, write.getReference(), new int[] {write.getCoil() ? 1 : 0});
                answer.write(pdu, 1, 4);
            }
            case 6 -> {
                WriteSingleRegisterRequest write = (WriteSingleRegisterRequest) request;
                check(true, Area.HOLDING_REGISTER, write.getReference(), 1);
                image.write(Area.HOLDING_REGISTER, write.getReference(), new int[] {write.getRegister().getValue()});
                answer.writeBytes(write.getMessage());
            }
            case 15 -> {
                WriteMultipleCoilsRequest write = (WriteMultipleCoilsRequest) request;
                int count = write.getBitCount();
                check(count >= 1 && count <= Area.MAX_WRITE_COILS && write.getByteCount() == (count + 7) / 8, Area.COIL,
                        write.getReference(), count);
                int[] bits = new int[count];
                for (int i = 0; i < count; i++) {
                    bits[i] = write.getCoilStatus(i) ? 1 : 0;
                }
                image.write(Area.COIL, write.getReference(), bits);
                writeEcho(answer, write.getReference(), count);
            }
            case 16 -> {
                WriteMultipleRegistersRequest write = (WriteMultipleRegistersRequest) request;
                int count = write.getWordCount();
                check(count >= 1 && count <= Area.MAX_WRITE_REGISTERS && write.getByteCount() == count * 2,
                        Area.HOLDING_REGISTER, write.getReference(), count);
                int[] registers = new int[count];
                for (int i = 0; i < count; i++) {
                    registers[i] = write.getRegisterValue(i);
                }
                image.write(Area.HOLDING_REGISTER, write.getReference(), registers);
                writeEcho(answer, write.getReference(), count);
            }
            case 22 -> {
                MaskWriteRegisterRequest mask = (MaskWriteRegisterRequest) request;
                check(true, Area.HOLDING_REGISTER, mask.getReference(), 1);
                image.mask(mask.getReference(), mask.getAndMask(), mask.getOrMask());
                answer.writeBytes(mask.getMessage());
            }
            default -> throw new DeviceAnswer(0x01);
        }
        return answer.toByteArray();
    }

    /** Exception 03 for a bad quantity, else 02 for addresses outside the image. */
    private void check(boolean quantityValid, Area area, int start, int count) throws DeviceAnswer {
        if (!quantityValid) {
            throw new DeviceAnswer(0x03);
        }
        if (!image.exists(area, start, count)) {
            throw new DeviceAnswer(0x02);
        }
    }

    private static void writeEcho(ByteArrayOutputStream answer, int reference, int count) {
        answer.write(reference >> 8);
        answer.write(reference);
        answer.write(count >> 8);
        answer.write(count);
    }

    private static byte[] exception(int functionCode, int code) {
        return new byte[] {(byte) (functionCode | 0x80), (byte) code};
    }

    /** Stops serving: closes the listening socket and every client, and waits (bounded) for their threads. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Socket client : clients) {
            closeQuietly(client);
        }
        try {
            acceptor.join(2000);
            for (Thread thread : threads) {
                thread.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
