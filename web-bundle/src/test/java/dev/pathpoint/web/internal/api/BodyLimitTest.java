package dev.pathpoint.web.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pathpoint.web.internal.TestConfigs;
import dev.pathpoint.web.internal.auth.TokenHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Oversized bodies get 413 and are not read: over a raw socket, to see what the server does with the bytes. */
class BodyLimitTest {
    static final String TOKEN = "body-limit-token-0123456";
    static final int LIMIT = 4096;

    private WebServer web;

    @BeforeEach
    void start() throws Exception {
        web = new WebServer(TestConfigs.settings(Map.of("tokenHashes", new String[] {TokenHash.sha256Of(TOKEN)},
                "maxBodyBytes", LIMIT)));
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", web.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String head(String path, String... headers) {
        StringBuilder request = new StringBuilder("POST /pathpoint/api/v1/" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** Everything the server sends until it closes the connection. */
    private static String readToClose(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the connection was not closed; received: " + all.toString(StandardCharsets.UTF_8), e);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeAByteOfTheBodyIsSent() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            // 100 MB announced and only the first kilobyte sent (Jetty dispatches a request once some of its
            // content is there): an answer can only come without reading the body
            out.write(head("sections", "Content-Type: application/json", "Content-Length: 100000000").getBytes(StandardCharsets.US_ASCII));
            out.write("[".concat(" ".repeat(1023)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readToClose(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
            assertTrue(response.contains("larger than the 4096 bytes accepted (maxBodyBytes)"), response);
            assertTrue(response.toLowerCase().contains("connection: close"), response);
        }
        assertEquals(0, web.gateway.executed.size());
    }

    @Test
    void aChunkedBodyIsReadOnlyUpToTheLimit() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("sections", "Content-Type: application/json", "Transfer-Encoding: chunked").getBytes(StandardCharsets.US_ASCII));
            // a little over the limit, and the chunked body left unfinished: the answer cannot wait for its end
            byte[] chunk = "[".concat(" ".repeat(LIMIT)).getBytes(StandardCharsets.US_ASCII);
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readToClose(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
            assertTrue(response.contains("is larger than the 4096 bytes accepted"), response);
        }
        assertEquals(0, web.gateway.executed.size());
    }

    @Test
    void aBodyWithinTheLimitIsRead() throws Exception {
        web.gateway.device.put("W1r0", dev.pathpoint.api.value.PathpointValue.of(5));
        String body = "{\"orders\": [{\"type\": \"read\", \"path\": \"W1r0\"}]}" + " ".repeat(LIMIT - 60);
        assertTrue(body.length() <= LIMIT);
        assertEquals(200, web.post("sections", "Bearer " + TOKEN, "application/json", body).statusCode());
        assertEquals(413, web.post("sections", "Bearer " + TOKEN, "application/json", body + " ".repeat(61)).statusCode());
    }

    @Test
    void sysctlArgumentsAreLimitedToo() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(head("sysctl/update", "Content-Type: text/plain", "Content-Length: 70000")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write("--dry-run ".getBytes(StandardCharsets.US_ASCII));
            String response = readToClose(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
        }
    }
}
