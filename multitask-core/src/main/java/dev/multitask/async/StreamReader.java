package dev.multitask.async;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The reading end of a TCP stream: asyncio's {@code StreamReader}. Every read waits for data
 * without holding the loop, and is where a cancellation or timeout of the reading task is
 * delivered; a cancelled read consumes nothing, so the stream stays usable. One task reads a
 * stream at a time.
 */
public final class StreamReader {
    private final SocketChannel channel;
    private final EventLoop loop;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).flip();
    private boolean eof;

    StreamReader(SocketChannel channel, EventLoop loop) {
        this.channel = channel;
        this.loop = loop;
    }

    /** Reads more into the buffer (waiting for it); false at end of stream. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        Task<?> me = Async.requireCurrent("StreamReader");
        if (me.loop != loop) {
            throw new IllegalStateException("this stream belongs to another event loop");
        }
        buf.compact();
        try {
            for (;;) {
                int n = channel.read(buf);
                if (n > 0) {
                    return true;
                }
                if (n < 0) {
                    eof = true;
                    return false;
                }
                loop.poller().awaitReady(channel, SelectionKey.OP_READ, me);
            }
        } finally {
            buf.flip();
        }
    }

    /**
     * Up to {@code n} bytes (at least one, waiting if none are there yet), or an empty array at
     * end of stream ({@code read(n)}); {@code n = -1} reads until end of stream.
     */
    public byte[] read(int n) throws IOException {
        if (n == -1) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (buf.hasRemaining() || fill()) {
                byte[] b = new byte[buf.remaining()];
                buf.get(b);
                all.write(b);
            }
            return all.toByteArray();
        }
        if (n < 0) {
            throw new IllegalArgumentException("read(n): n must be positive or -1 (until end of stream), got " + n);
        }
        if (n == 0 || (!buf.hasRemaining() && !fill())) {
            return new byte[0];
        }
        byte[] b = new byte[Math.min(n, buf.remaining())];
        buf.get(b);
        return b;
    }

    /**
     * Exactly {@code n} bytes ({@code readexactly}).
     *
     * @throws EOFException if the stream ends first (asyncio's {@code IncompleteReadError})
     */
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly(n): n must not be negative, got " + n);
        }
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            if (!buf.hasRemaining() && !fill()) {
                throw new EOFException("the stream ended after " + got + " of " + n + " bytes");
            }
            int k = Math.min(n - got, buf.remaining());
            buf.get(out, got, k);
            got += k;
        }
        return out;
    }

    /**
     * The bytes up to and including {@code separator} ({@code readuntil}).
     *
     * @throws EOFException if the stream ends before the separator
     */
    public byte[] readUntil(byte[] separator) throws IOException {
        if (separator == null || separator.length == 0) {
            throw new IllegalArgumentException("readUntil needs a non-empty separator");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int matched = 0;
        for (;;) {
            if (!buf.hasRemaining() && !fill()) {
                throw new EOFException("the stream ended before the separator (" + out.size() + " bytes read)");
            }
            while (buf.hasRemaining()) {
                byte b = buf.get();
                out.write(b);
                if (b == separator[matched]) {
                    if (++matched == separator.length) {
                        return out.toByteArray();
                    }
                } else {
                    matched = b == separator[0] ? 1 : 0;
                }
            }
        }
    }

    /**
     * The next line as UTF-8 text, without its {@code \n} (or {@code \r\n}); the last line may
     * lack one; {@code null} at end of stream (as {@link java.io.BufferedReader#readLine()}).
     */
    public String readLine() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (;;) {
            if (!buf.hasRemaining() && !fill()) {
                return out.size() == 0 ? null : out.toString(StandardCharsets.UTF_8);
            }
            while (buf.hasRemaining()) {
                byte b = buf.get();
                if (b == '\n') {
                    byte[] line = out.toByteArray();
                    int len = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                    return new String(line, 0, len, StandardCharsets.UTF_8);
                }
                out.write(b);
            }
        }
    }

    /** Whether the stream has ended and every byte was read ({@code at_eof}). */
    public boolean atEof() {
        return eof && !buf.hasRemaining();
    }
}
