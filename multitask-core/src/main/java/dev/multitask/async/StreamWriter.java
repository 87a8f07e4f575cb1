package dev.multitask.async;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The writing end of a TCP stream: asyncio's {@code StreamWriter}. {@link #write} sends what
 * the socket takes at once and buffers the rest; {@link #drain()} waits, without holding the
 * loop, until the buffer is sent. {@link #close()} sends what is buffered and closes.
 */
public final class StreamWriter implements AutoCloseable {
    private final SocketChannel channel;
    private final EventLoop loop;
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private long buffered;
    private boolean closing;

    StreamWriter(SocketChannel channel, EventLoop loop) {
        this.channel = channel;
        this.loop = loop;
    }

    /** Sends or buffers {@code data}; never waits. */
    public void write(byte[] data) throws IOException {
        if (closing) {
            throw new IOException("the stream writer is closed");
        }
        ByteBuffer b = ByteBuffer.wrap(data.clone());
        if (queued.isEmpty()) {
            channel.write(b);
        }
        if (b.hasRemaining()) {
            queued.add(b);
            buffered += b.remaining();
        }
    }

    /** {@link #write(byte[])} of UTF-8 text. */
    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #write(String)} followed by a {@code \n}. */
    public void writeLine(String text) throws IOException {
        write(text + "\n");
    }

    /** Bytes written but not yet taken by the socket. */
    public long bufferedBytes() {
        return buffered;
    }

    /** Waits until everything written has been handed to the socket ({@code drain}). */
    public void drain() throws IOException {
        Task<?> me = Async.requireCurrent("StreamWriter.drain()");
        if (me.loop != loop) {
            throw new IllegalStateException("this stream belongs to another event loop");
        }
        while (!queued.isEmpty()) {
            ByteBuffer b = queued.peek();
            int n = channel.write(b);
            buffered -= n;
            if (!b.hasRemaining()) {
                queued.poll();
            } else if (n == 0) {
                loop.poller().awaitReady(channel, SelectionKey.OP_WRITE, me);
            }
        }
    }

    /** Whether {@link #close()} was called ({@code is_closing}). */
    public boolean isClosing() {
        return closing;
    }

    /** Half-closes: no more writes, the peer reads end of stream ({@code write_eof}). */
    public void writeEof() throws IOException {
        drain();
        channel.shutdownOutput();
    }

    /** Sends what is buffered (when called from a task) and closes the connection. */
    @Override
    public void close() throws IOException {
        if (closing) {
            return;
        }
        closing = true;
        try {
            if (Async.current() != null && Async.current().loop == loop) {
                drain();
            }
        } finally {
            channel.close();
        }
    }

    /** Returns once the connection is closed ({@code wait_closed}); {@link #close()} closes synchronously. */
    public void waitClosed() {
        Async.requireCurrent("StreamWriter.waitClosed()").checkCancelled();
    }
}
