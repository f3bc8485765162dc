package dev.pathpoint.web.internal.api;

import dev.pathpoint.web.internal.stream.StreamClient;
import dev.pathpoint.web.internal.stream.ValueStream;
import java.io.IOException;
import java.util.function.Predicate;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;

/** {@code GET values/stream}: server-sent events of readings as they change. */
final class StreamEndpoint {
    private final Api api;

    StreamEndpoint(Api api) {
        this.api = api;
    }

    void open(Exchange exchange) throws IOException {
        Predicate<String> filter = ReadEndpoints.filter(exchange);
        if (filter == null) {
            return;
        }
        if (!exchange.claim()) {
            return;
        }
        AsyncContext async = exchange.async();
        ServletOutputStream out = exchange.response.getOutputStream();
        StreamClient client;
        try {
            client = api.stream().open(new ServletSink(out, async), filter);
        } catch (ValueStream.TooManyClients e) {
            exchange.send(Errors.of(503, e.getMessage()).header("Retry-After", "10"));
            return;
        }
        exchange.response.setStatus(200);
        exchange.response.setContentType("text/event-stream");
        exchange.response.setCharacterEncoding("UTF-8");
        exchange.response.setHeader("Cache-Control", "no-store");
        exchange.response.setHeader("X-Content-Type-Options", "nosniff");
        // proxies in front must not buffer the stream
        exchange.response.setHeader("X-Accel-Buffering", "no");
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                client.close();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                client.close();
            }

            @Override
            public void onError(AsyncEvent event) {
                client.close();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        out.setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() {
                client.writePossible();
            }

            @Override
            public void onError(Throwable failure) {
                client.close();
            }
        });
        client.start();
    }

    /** The response's output, written without blocking. */
    private record ServletSink(ServletOutputStream out, AsyncContext async) implements StreamClient.Sink {
        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            out.write(bytes);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // completed already
            }
        }
    }
}
