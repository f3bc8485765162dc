package dev.pathpoint.modbus.internal.link;

import com.ghgande.j2mod.modbus.msg.MaskWriteRegisterRequest;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadCoilsResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersResponse;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.msg.WriteCoilRequest;
import com.ghgande.j2mod.modbus.msg.WriteCoilResponse;
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsResponse;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterRequest;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterResponse;
import com.ghgande.j2mod.modbus.msg.MaskWriteRegisterResponse;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import dev.pathpoint.api.failure.OperationFailedReason;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Request PDUs built with j2mod's message classes, and answers parsed with them and then checked
 * against the request (function code, byte count, echoed address and quantity, no trailing bytes).
 */
public final class Pdus {

    private Pdus() {
    }

    /** The PDU (function code, then data) of a j2mod request. */
    public static byte[] pdu(ModbusRequest request) {
        byte[] data = request.getMessage();
        byte[] pdu = new byte[data.length + 1];
        pdu[0] = (byte) request.getFunctionCode();
        System.arraycopy(data, 0, pdu, 1, data.length);
        return pdu;
    }

    public static byte[] readRequest(int functionCode, int start, int count) {
        return pdu(switch (functionCode) {
            case 1 -> new ReadCoilsRequest(start, count);
            case 2 -> new ReadInputDiscretesRequest(start, count);
            case 3 -> new ReadMultipleRegistersRequest(start, count);
            case 4 -> new ReadInputRegistersRequest(start, count);
            default -> throw new IllegalArgumentException("not a read function code: " + functionCode);
        });
    }

    public static byte[] writeRegisters(int start, int[] values) {
        Register[] registers = new Register[values.length];
        for (int i = 0; i < values.length; i++) {
            registers[i] = new SimpleRegister(values[i]);
        }
        return pdu(new WriteMultipleRegistersRequest(start, registers));
    }

    public static byte[] writeRegister(int address, int value) {
        return pdu(new WriteSingleRegisterRequest(address, new SimpleRegister(value)));
    }

    public static byte[] writeCoil(int address, boolean value) {
        return pdu(new WriteCoilRequest(address, value));
    }

    public static byte[] writeCoils(int start, boolean[] values) {
        BitVector bits = new BitVector(values.length);
        for (int i = 0; i < values.length; i++) {
            bits.setBit(i, values[i]);
        }
        return pdu(new WriteMultipleCoilsRequest(start, bits));
    }

    public static byte[] maskWrite(int address, int andMask, int orMask) {
        return pdu(new MaskWriteRegisterRequest(address, andMask, orMask));
    }

    /** The registers of an FC3/FC4 answer. */
    public static int[] registers(int functionCode, int count, byte[] answer) throws DeviceException, LinkFailure {
        ModbusResponse response = parse(functionCode, answer);
        int[] values = new int[count];
        if (response instanceof ReadMultipleRegistersResponse holding) {
            checkByteCount(holding.getByteCount(), count * 2);
            for (int i = 0; i < count; i++) {
                values[i] = holding.getRegisterValue(i);
            }
        } else {
            ReadInputRegistersResponse input = (ReadInputRegistersResponse) response;
            checkByteCount(input.getByteCount(), count * 2);
            for (int i = 0; i < count; i++) {
                values[i] = input.getRegisterValue(i);
            }
        }
        return values;
    }

    /** The bits of an FC1/FC2 answer. */
    public static boolean[] bits(int functionCode, int count, byte[] answer) throws DeviceException, LinkFailure {
        ModbusResponse response = parse(functionCode, answer);
        BitVector vector = response instanceof ReadCoilsResponse coils ? coils.getCoils()
                : ((ReadInputDiscretesResponse) response).getDiscretes();
        checkByteCount(vector.byteSize(), (count + 7) / 8);
        boolean[] values = new boolean[count];
        for (int i = 0; i < count; i++) {
            values[i] = vector.getBit(i);
        }
        return values;
    }

    /** Checks the answer to a write: the same function code and the address (and quantity) echoed. */
    public static void checkWriteAnswer(byte[] request, byte[] answer) throws DeviceException, LinkFailure {
        int functionCode = request[0] & 0xFF;
        ModbusResponse response = parse(functionCode, answer);
        int address = Mbap.u16(request, 1);
        int echoed = -1;
        if (response instanceof WriteSingleRegisterResponse single) {
            echoed = single.getReference();
        } else if (response instanceof WriteMultipleRegistersResponse multiple) {
            echoed = multiple.getReference();
        } else if (response instanceof WriteCoilResponse coil) {
            echoed = coil.getReference();
        } else if (response instanceof WriteMultipleCoilsResponse coils) {
            echoed = coils.getReference();
        } else if (response instanceof MaskWriteRegisterResponse mask) {
            echoed = mask.getReference();
        }
        if (echoed != address) {
            throw LinkFailure.malformed("the answer to FC" + functionCode + " at " + address + " echoes address " + echoed);
        }
    }

    /**
     * Parses an answer with j2mod.
     *
     * @throws DeviceException if it is an exception response to the function
     * @throws LinkFailure MALFORMED if it is for another function, short or long
     */
    public static ModbusResponse parse(int functionCode, byte[] answer) throws DeviceException, LinkFailure {
        if (answer.length == 0) {
            throw LinkFailure.malformed("empty answer to FC" + functionCode);
        }
        int answerFunction = answer[0] & 0xFF;
        if (answerFunction == (functionCode | 0x80)) {
            if (answer.length != 2) {
                throw LinkFailure.malformed("exception answer to FC" + functionCode + " has " + answer.length + " bytes, not 2");
            }
            throw new DeviceException(functionCode, answer[1] & 0xFF);
        }
        if (answerFunction != functionCode) {
            throw LinkFailure.malformed("answer has function code " + answerFunction + ", request had " + functionCode);
        }
        ModbusResponse response = ModbusResponse.createModbusResponse(functionCode);
        DataInputStream data = new DataInputStream(new AnswerBytes(answer, 1));
        try {
            response.readData(data);
            if (data.available() > 0) {
                throw LinkFailure.malformed("answer to FC" + functionCode + " has " + data.available() + " bytes too many");
            }
        } catch (EOFException e) {
            throw LinkFailure.malformed("answer to FC" + functionCode + " is cut short");
        } catch (IOException | RuntimeException e) {
            throw new LinkFailure(OperationFailedReason.MALFORMED, "answer to FC" + functionCode + " cannot be parsed: " + e,
                    false, e);
        }
        return response;
    }

    private static void checkByteCount(int actual, int expected) throws LinkFailure {
        if (actual != expected) {
            throw LinkFailure.malformed("answer has " + actual + " data bytes, expected " + expected);
        }
    }
}
