package dev.multitask.ipc.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
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
 */
public final class Channel implements AutoCloseable {
    public static final int HEADER = 13;
    private static final int MAX_FRAME = Integer.MAX_VALUE - 64;

    private final SocketChannel socket;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocateDirect(HEADER);

    public Channel(SocketChannel socket) {
        this.socket = socket;
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
                socket.write(bb);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends a frame with an empty payload. */
    public void send(byte type, long id) throws IOException {
        send(type, id, message(0));
    }

    /** Blocks until the next frame arrives. */
    public Frame receive() throws IOException {
        header.clear();
        readFully(header);
        int length = header.getInt(0);
        if (length < 9 || length > MAX_FRAME) {
            throw new IOException("corrupt frame: length " + length);
        }
        byte type = header.get(4);
        long id = header.getLong(5);
        byte[] payload = new byte[length - 9];
        readFully(ByteBuffer.wrap(payload));
        return new Frame(type, id, payload);
    }

    private void readFully(ByteBuffer bb) throws IOException {
        while (bb.hasRemaining()) {
            if (socket.read(bb) < 0) {
                throw new EOFException("peer closed the connection");
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
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
