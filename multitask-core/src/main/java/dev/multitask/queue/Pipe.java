package dev.multitask.queue;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * Two connected ends for passing objects between two processes: Python's
 * {@code multiprocessing.Pipe()}. Duplex by default (each end sends and receives); one-way
 * pipes have a receiving {@link #first()} end and a sending {@link #second()} end, as in
 * Python.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open();
 * Connection parent = pipe.first(), child = pipe.second();
 * new ChildProcess(() -> child.send("hello from the child")).start();
 * System.out.println(parent.recv());
 * }</pre>
 *
 * <p>Each direction is a {@link SharedQueue}; an end travels to another process as the names
 * of its queues. {@link #unlink()} removes them once both sides are done.
 */
public final class Pipe {
    private final SharedQueue<Object> ab;
    private final SharedQueue<Object> ba;
    private final Connection first;
    private final Connection second;

    private Pipe(boolean duplex) {
        this.ab = SharedQueue.create();
        this.ba = duplex ? SharedQueue.create() : null;
        if (duplex) {
            first = new Connection(ab, ba);
            second = new Connection(ba, ab);
        } else { // Python's Pipe(duplex=False): the first end receives, the second sends
            first = new Connection(null, ab);
            second = new Connection(ab, null);
        }
    }

    /** A duplex pipe. */
    public static Pipe open() {
        return new Pipe(true);
    }

    /** A duplex pipe, or a one-way one: {@link #first()} receives, {@link #second()} sends. */
    public static Pipe open(boolean duplex) {
        return new Pipe(duplex);
    }

    public Connection first() {
        return first;
    }

    public Connection second() {
        return second;
    }

    /** Removes the pipe's queues; ends already attached keep working until closed. */
    public void unlink() {
        ab.unlink();
        if (ba != null) {
            ba.unlink();
        }
    }

    /** One end of a {@link Pipe}. Thread-safe; Serializable (it travels as its queues' names). */
    public static final class Connection implements AutoCloseable, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final SharedQueue<Object> out;
        private final SharedQueue<Object> in;

        Connection(SharedQueue<Object> out, SharedQueue<Object> in) {
            this.out = out;
            this.in = in;
        }

        /** Sends {@code value} (serialized) to the other end. */
        public void send(Object value) throws InterruptedException {
            if (out == null) {
                throw new IllegalStateException("this end of a one-way pipe only receives");
            }
            out.put(value);
        }

        /** Waits for and returns the next value from the other end. */
        public Object recv() throws InterruptedException {
            return receiveQueue().take();
        }

        /** Whether a value is ready now, waiting at most {@code timeout} for one (Python's {@code poll}). */
        public boolean poll(Duration timeout) throws InterruptedException {
            return receiveQueue().awaitElement(System.nanoTime() + Math.max(0, timeout.toNanos()));
        }

        /** Whether a value is ready now. */
        public boolean poll() throws InterruptedException {
            return poll(Duration.ZERO);
        }

        private SharedQueue<Object> receiveQueue() {
            if (in == null) {
                throw new IllegalStateException("this end of a one-way pipe only sends");
            }
            return in;
        }

        /** Unmaps this process's view of the pipe. */
        @Override
        public void close() {
            if (out != null) {
                out.close();
            }
            if (in != null) {
                in.close();
            }
        }
    }
}
