package dev.multitask.ipc.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A framed, blocking, full-duplex connection over a Unix domain socket.
 *
 * <pre>
 *   0        4      5                13
 *   +--------+------+-----------------+---------------------+
 *   | length | type | id (long)       | payload (length-9)  |
 *   +--------+------+-----------------+---------------------+
 * </pre>
 *
 * <p>Concurrency: one thread reads at a time (the owner of the connection's read side); any
 * thread may {@link #send}, writers being serialized by a lock. A frame is built in a
 * {@link Bytes} whose first {@link #HEADER} bytes are reserved, so a frame leaves in one
 * write call. A closed or broken peer shows as an {@link EOFException} or IOException on
 * {@link #receive()}: that is how the death of a process is noticed.
 *
 * <p>Latency: waking a sleeping thread costs 15-25 us on a small virtual machine, so a
 * blocking socket round trip between two JVMs costs ~45 us. The socket is therefore
 * non-blocking: a receiver first polls it for up to {@link #SPIN_NANOS} (a read that finds
 * nothing is a cheap system call), and only then sleeps in epoll. Back-to-back messages
 * (a caller applying tasks in a loop) never pay for a wake-up; an idle connection costs
 * nothing after the spin.
 */
public final class Channel implements AutoCloseable {
    public static final int HEADER = 13;
    private static final int MAX_FRAME = Integer.MAX_VALUE - 64;

    /** How long a receiver polls before sleeping; {@code -Dmultitask.spinMicros=N}, 0 to never poll. */
    public static final long SPIN_NANOS = Long.getLong("multitask.spinMicros", 50) * 1000;

    private final SocketChannel socket;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocateDirect(HEADER);
    private final Selector readable;
    private final Selector writable;

    public Channel(SocketChannel socket) throws IOException {
        this.socket = socket;
        socket.configureBlocking(false);
        readable = Selector.open();
        writable = Selector.open();
        socket.register(readable, SelectionKey.OP_READ);
        socket.register(writable, SelectionKey.OP_WRITE);
    }

    public static Channel connect(Path path) throws IOException {
        SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
        s.connect(UnixDomainSocketAddress.of(path));
        return new Channel(s);
    }

    /** A new message buffer with room reserved for the header. */
    public static Bytes message(int capacity) {
        Bytes b = new Bytes(capacity + HEADER);
        b.length(HEADER);
        return b;
    }

    /** Sends a message built with {@link #message}. */
    public void send(byte type, long id, Bytes msg) throws IOException {
        byte[] a = msg.array();
        msg.putInt(0, msg.length() - 4);
        a[4] = type;
        msg.putLong(5, id);
        ByteBuffer bb = ByteBuffer.wrap(a, 0, msg.length());
        writeLock.lock();
        try {
            while (bb.hasRemaining()) {
                if (socket.write(bb) == 0) {
                    writable.select();
                    writable.selectedKeys().clear();
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends a frame with an empty payload. */
    public void send(byte type, long id) throws IOException {
        send(type, id, message(0));
    }

    /** Waits until the next frame arrives, polling for up to {@link #SPIN_NANOS} first. */
    public Frame receive() throws IOException {
        return receive(SPIN_NANOS);
    }

    /** Waits until the next frame arrives, polling for up to {@code spinNanos} before sleeping. */
    public Frame receive(long spinNanos) throws IOException {
        return receive(spinNanos, Long.MAX_VALUE);
    }

    /**
     * As {@link #receive(long)}, but gives up and returns null if no byte of the next frame has
     * arrived by {@code deadline} ({@link System#nanoTime()} scale) or the thread is
     * interrupted (its interrupt status stays set). Once a frame has begun it is read whole,
     * so the channel is never left in the middle of one.
     */
    public Frame receive(long spinNanos, long deadline) throws IOException {
        header.clear();
        if (!readFully(header, spinNanos, deadline)) {
            return null;
        }
        int length = header.getInt(0);
        if (length < 9 || length > MAX_FRAME) {
            throw new IOException("corrupt frame: length " + length);
        }
        byte type = header.get(4);
        long id = header.getLong(5);
        byte[] payload = new byte[length - 9];
        readFully(ByteBuffer.wrap(payload), spinNanos, Long.MAX_VALUE);
        return new Frame(type, id, payload);
    }

    /** Fills {@code bb}; false if it gave up (deadline or interrupt) before reading any byte. */
    private boolean readFully(ByteBuffer bb, long spinNanos, long deadline) throws IOException {
        long spinUntil = 0;
        int polls = 0;
        boolean started = bb.position() > 0;
        while (bb.hasRemaining()) {
            int n = socket.read(bb);
            if (n > 0) {
                started = true;
                continue;
            }
            if (n < 0) {
                throw new EOFException("peer closed the connection");
            }
            long now = System.nanoTime();
            if (!started && (now - deadline >= 0 || Thread.currentThread().isInterrupted())) {
                return false;
            }
            if (spinNanos > 0) {
                if (spinUntil == 0) {
                    spinUntil = now + spinNanos;
                }
                if (now - spinUntil < 0) {
                    // on two cores the peer may need this one: give it way now and then
                    if ((++polls & 7) == 0) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                    continue;
                }
            }
            if (started || deadline == Long.MAX_VALUE) {
                readable.select();
            } else {
                readable.select(Math.max(1, (deadline - now + 999_999) / 1_000_000));
            }
            readable.selectedKeys().clear();
        }
        return true;
    }

    @Override
    public void close() {
        try {
            socket.close();
            readable.close();
            writable.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    /** One received frame. */
    public record Frame(byte type, long id, byte[] payload) {
        public BytesInput input() {
            return new BytesInput(payload, 0, payload.length);
        }
    }
}
