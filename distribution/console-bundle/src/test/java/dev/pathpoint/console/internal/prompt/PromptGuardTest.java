package dev.pathpoint.console.internal.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.felix.service.command.CommandSession;
import org.jline.reader.LineReader;
import org.junit.jupiter.api.Test;

class PromptGuardTest {
    private final AtomicBoolean reading = new AtomicBoolean();
    private final List<String> above = new ArrayList<>();
    private final LineReader reader = (LineReader) Proxy.newProxyInstance(LineReader.class.getClassLoader(),
            new Class<?>[] {LineReader.class}, (proxy, method, args) -> switch (method.getName()) {
                case "isReading" -> reading.get();
                case "printAbove" -> above.add((String) args[0]);
                default -> null;
            });

    private CommandSession session(Object readerVariable) {
        return (CommandSession) Proxy.newProxyInstance(CommandSession.class.getClassLoader(),
                new Class<?>[] {CommandSession.class}, (proxy, method, args) ->
                        method.getName().equals("get") && PromptGuard.READER_VARIABLE.equals(args[0]) ? readerVariable : null);
    }

    @Test
    void linesGoAboveThePromptOnlyWhileItWaitsForInput() {
        PromptGuard guard = new PromptGuard();
        assertFalse(guard.test("before any shell"), "no shell yet: the line goes out as it is");

        guard.beforeExecute(session("not a reader"), "echo");
        assertFalse(guard.test("a session without a line reader"));

        guard.beforeExecute(session(reader), "gosh_profile");
        assertFalse(guard.test("while a command runs"), "no prompt is shown while a command runs");
        reading.set(true);
        assertTrue(guard.test("[FelixLogListener] ERROR dev.pathpoint.modbus - bad unitIds"));
        assertEquals(List.of("[FelixLogListener] ERROR dev.pathpoint.modbus - bad unitIds"), above);

        guard.deactivate();
        assertFalse(guard.test("after the console stopped"));
    }
}
