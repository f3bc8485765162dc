package dev.pathpoint.web.internal.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;

/**
 * Reads a request body without blocking a thread, up to a limit. A body whose declared length is over
 * the limit is refused with 413 before a byte of it is read; one without a declared length is read
 * until it passes the limit, then refused. Either way the connection is closed after the answer, so
 * that the container does not read the rest of the body to reuse it.
 */
final class BodyReader {
    private BodyReader() {
    }

    static void read(Exchange exchange, int limit, Consumer<byte[]> then) throws IOException {
        long declared = exchange.request.getContentLengthLong();
        if (declared > limit) {
            exchange.answer(tooLarge(limit, declared));
            return;
        }
        exchange.async();
        ServletInputStream in = exchange.request.getInputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        in.setReadListener(new ReadListener() {
            private final byte[] buffer = new byte[8192];
            private boolean refused;

            @Override
            public void onDataAvailable() throws IOException {
                while (!refused && in.isReady() && !in.isFinished()) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        return;
                    }
                    if (body.size() + read > limit) {
                        refused = true;
                        exchange.answer(tooLarge(limit, -1));
                        return;
                    }
                    body.write(buffer, 0, read);
                }
            }

            @Override
            public void onAllDataRead() {
                if (!refused) {
                    then.accept(body.toByteArray());
                }
            }

            @Override
            public void onError(Throwable failure) {
                // the client went away or stalled past the container's idle time-out
                exchange.claim();
                exchange.complete();
            }
        });
    }

    private static Answer tooLarge(int limit, long declared) {
        return Errors.of(413, "the request body " + (declared > 0 ? "of " + declared + " bytes " : "")
                        + "is larger than the " + limit + " bytes accepted (maxBodyBytes)")
                .header("Connection", "close");
    }
}
