package dev.multitask.async;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CancellationException;

/**
 * A TCP server started by {@link Async#startServer}: asyncio's {@code Server}. It accepts in a
 * task of its loop and serves each connection in a new task; a running server keeps
 * {@link Async#run} from returning until it is {@linkplain #close() closed}. A handler's
 * exception closes its connection and is reported at once through the loop's exception
 * handler (standard error by default).
 */
public final class AsyncServer implements AutoCloseable {
    private final ServerSocketChannel channel;
    private final Task<Void> acceptor;
    private volatile boolean closed;

    private AsyncServer(ServerSocketChannel channel, Task<?> owner, ConnectionHandler handler) {
        this.channel = channel;
        EventLoop loop = owner.loop;
        this.acceptor = loop.createTask("server:" + port(), () -> {
            Task<?> me = Async.current();
            try {
                while (!closed) {
                    SocketChannel c = channel.accept();
                    if (c == null) {
                        loop.poller().awaitReady(channel, SelectionKey.OP_ACCEPT, me);
                        continue;
                    }
                    c.configureBlocking(false);
                    c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                    StreamConnection conn = new StreamConnection(c, loop);
                    String peer = String.valueOf(c.getRemoteAddress());
                    loop.createTask("connection:" + peer, () -> {
                        try (conn) {
                            handler.handle(conn.reader(), conn.writer());
                        } catch (java.util.concurrent.CancellationException e) {
                            throw e;
                        } catch (Throwable e) {
                            // as asyncio logs an exception of client_connected_cb at once: a
                            // server runs long, so waiting for the loop's end would hide it
                            loop.report("Exception in the connection handler of " + peer + " (connection closed)", e);
                        }
                        return null;
                    });
                }
            } catch (CancellationException | java.nio.channels.ClosedChannelException e) {
                // closed
            }
            return null;
        });
    }

    static AsyncServer start(Task<?> me, ConnectionHandler handler, String host, int port) throws IOException {
        java.util.Objects.requireNonNull(handler, "handler");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535 (0: any free port), got " + port);
        }
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.bind(new InetSocketAddress(host == null ? "127.0.0.1" : host, port));
            ch.configureBlocking(false);
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new AsyncServer(ch, me, handler);
    }

    /** The port the server listens on (useful after binding port 0). */
    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Whether the server still accepts ({@code is_serving}). */
    public boolean isServing() {
        return !closed;
    }

    /** Waits (in a task) until the server is closed ({@code serve_forever}). */
    public void serveForever() {
        Task<?> me = Async.requireCurrent("AsyncServer.serveForever()");
        Async.shield(acceptor).await();
        me.checkCancelled();
    }

    /** Stops accepting; connections being served go on. */
    @Override
    public void close() throws IOException {
        closed = true;
        acceptor.cancel("server closed");
        channel.close();
    }
}
