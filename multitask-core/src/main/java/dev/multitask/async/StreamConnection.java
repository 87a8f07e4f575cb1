package dev.multitask.async;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * An open TCP connection, as {@link Async#openConnection} returns it: the pair asyncio's
 * {@code open_connection} returns, plus {@link #close()} for try-with-resources.
 */
public final class StreamConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final StreamReader reader;
    private final StreamWriter writer;

    StreamConnection(SocketChannel channel, EventLoop loop) {
        this.channel = channel;
        this.reader = new StreamReader(channel, loop);
        this.writer = new StreamWriter(channel, loop);
    }

    static StreamConnection open(Task<?> me, String host, int port) throws IOException {
        java.util.Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }
        InetAddress addr = Async.toThread(() -> InetAddress.getByName(host)); // name lookups block
        SocketChannel ch = SocketChannel.open();
        try {
            ch.configureBlocking(false);
            if (!ch.connect(new InetSocketAddress(addr, port))) {
                while (!ch.finishConnect()) {
                    me.loop.poller().awaitReady(ch, SelectionKey.OP_CONNECT, me);
                }
            }
            ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (e instanceof IOException io && !(e instanceof java.nio.channels.ClosedChannelException)) {
                throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
            }
            throw e;
        }
        return new StreamConnection(ch, me.loop);
    }

    public StreamReader reader() {
        return reader;
    }

    public StreamWriter writer() {
        return writer;
    }

    /** The peer's address ({@code get_extra_info('peername')}). */
    public SocketAddress remoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }

    /** Closes the writer (sending what is buffered) and the connection. */
    @Override
    public void close() throws IOException {
        writer.close();
    }
}
