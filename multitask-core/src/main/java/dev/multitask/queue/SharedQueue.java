package dev.multitask.queue;

import static dev.multitask.queue.SharedQueueLayout.COUNT;
import static dev.multitask.queue.SharedQueueLayout.EMPTY_WAITERS;
import static dev.multitask.queue.SharedQueueLayout.FULL_WAITERS;
import static dev.multitask.queue.SharedQueueLayout.HEAD;
import static dev.multitask.queue.SharedQueueLayout.JOIN;
import static dev.multitask.queue.SharedQueueLayout.JOIN_WAITERS;
import static dev.multitask.queue.SharedQueueLayout.MAX_ITEMS;
import static dev.multitask.queue.SharedQueueLayout.NOT_EMPTY;
import static dev.multitask.queue.SharedQueueLayout.NOT_FULL;
import static dev.multitask.queue.SharedQueueLayout.PADDING;
import static dev.multitask.queue.SharedQueueLayout.RING;
import static dev.multitask.queue.SharedQueueLayout.RING_SIZE;
import static dev.multitask.queue.SharedQueueLayout.TAIL;
import static dev.multitask.queue.SharedQueueLayout.UNFINISHED;

import dev.multitask.ipc.Serializer;
import dev.multitask.ipc.internal.Bytes;
import dev.multitask.ipc.internal.BytesInput;
import dev.multitask.shm.SharedMemory;
import dev.multitask.shm.SharedMemoryLayout.Kind;
import dev.multitask.shm.internal.Futex;
import dev.multitask.shm.internal.RobustMutex;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue shared by processes: Python's {@code multiprocessing.Queue} and {@code JoinableQueue},
 * as a {@link BlockingQueue}. Multi-producer, multi-consumer, across every thread of every
 * process that uses it; pass it to a child or a pool task by capturing it in the lambda.
 *
 * <pre>{@code
 * SharedQueue<String> q = SharedQueue.create();
 * new ChildProcess(() -> { for (int i = 0; i < 3; i++) q.put("item " + i); }).start();
 * System.out.println(q.take());
 * }</pre>
 *
 * <h2>How it works</h2>
 * Elements are serialized ({@link Serializer#defaultSerializer()}) before the queue's lock is
 * taken and deserialized after it is released, as CPython's queue does; the lock only guards
 * a copy into or out of a ring of records in shared memory ({@link SharedQueueLayout}). The
 * lock is a robust futex mutex: the uncontended path makes no system call, and waiters (for
 * data, for room, for {@link #join()}) sleep in the kernel. A consumer takes up to
 * {@value #BATCH} records per lock hold into this process's buffer, with one copy of their
 * ring bytes, so small messages do not each pay for a lock hand-off between processes; while
 * a stream of records is arriving it lets a batch gather, sleeping rather than spinning.
 *
 * <h2>Capacity</h2>
 * Bounded by items ({@code maxItems}) if asked, and always by its buffer of bytes (default
 * {@value #DEFAULT_BUFFER} bytes): a put waits while the buffer is full. An element larger
 * than the whole buffer is refused with an {@link IllegalArgumentException}.
 *
 * <h2>When a process dies</h2>
 * A producer killed mid-put leaves no partial record: the tail, which publishes a record, is
 * written last; the next process to take the lock sees that its owner died and re-counts the
 * records. Every element whose {@code put} returned is delivered exactly once to some consumer
 * (elements a consumer process had taken into its buffer die with it). Nobody waits forever on
 * a dead process's lock.
 *
 * <p>Thread-safe. {@code iterator()} returns a snapshot; its {@code remove} is not supported.
 */
public final class SharedQueue<T> extends AbstractQueue<T> implements BlockingQueue<T>, AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    static final int BATCH = 1024;
    static final long DEFAULT_BUFFER = 4L << 20;

    private final transient SharedMemory memory;
    private final transient MemorySegment data;
    private final transient RobustMutex mutex;
    private final transient long ring;
    private final transient Serializer serializer = Serializer.defaultSerializer();
    /** Records this process took from the ring and has not handed out yet; guarded by itself. */
    private final transient Taken taken = new Taken();

    private SharedQueue(SharedMemory memory) {
        this.memory = memory;
        this.data = memory.segment();
        this.mutex = new RobustMutex(memory);
        this.ring = data.get(ValueLayout.JAVA_LONG, RING_SIZE);
    }

    /** An unbounded queue (in items) with a fresh unique name; this process owns its memory. */
    public static <T> SharedQueue<T> create() {
        return create(SharedMemory.uniqueName(), 0, DEFAULT_BUFFER);
    }

    /** A queue holding at most {@code maxItems} elements. */
    public static <T> SharedQueue<T> create(int maxItems) {
        return create(SharedMemory.uniqueName(), maxItems, DEFAULT_BUFFER);
    }

    /**
     * A queue named {@code name}, bounded to {@code maxItems} (0: unbounded in items) and to a
     * buffer of {@code bufferBytes} bytes of serialized elements.
     */
    public static <T> SharedQueue<T> create(String name, int maxItems, long bufferBytes) {
        if (maxItems < 0) {
            throw new IllegalArgumentException("maxItems must be >= 0 (0 for no bound), was " + maxItems);
        }
        if (bufferBytes < 64 || bufferBytes > (1L << 40)) {
            throw new IllegalArgumentException("bufferBytes must be between 64 bytes and 1 TiB, was " + bufferBytes);
        }
        long size = (bufferBytes + 63) & ~63L;
        SharedMemory m = SharedMemory.createTyped(name, Kind.QUEUE, RING + size);
        MemorySegment d = m.segment();
        d.set(ValueLayout.JAVA_LONG, RING_SIZE, size);
        d.set(ValueLayout.JAVA_INT, MAX_ITEMS, maxItems == 0 ? Integer.MAX_VALUE : maxItems);
        return new SharedQueue<>(m);
    }

    /** Attaches to the queue named {@code name}. */
    public static <T> SharedQueue<T> attach(String name) {
        return new SharedQueue<>(SharedMemory.attachTyped(name, Kind.QUEUE));
    }

    public String name() {
        return memory.name();
    }

    // ---- shared state, all accessed with the queue's lock held --------------------------------

    private long getLong(long at) {
        return data.get(ValueLayout.JAVA_LONG, at);
    }

    private void setLong(long at, long v) {
        data.set(ValueLayout.JAVA_LONG, at, v);
    }

    private int getInt(long at) {
        return data.get(ValueLayout.JAVA_INT, at);
    }

    private void setInt(long at, int v) {
        data.set(ValueLayout.JAVA_INT, at, v);
    }

    private void lock() {
        mutex.acquireUninterruptibly();
        if (mutex.tookOverFromDeadOwner()) {
            repair();
        }
    }

    private void unlock() {
        mutex.release();
    }

    /**
     * After a process died holding the lock: keep the records up to the last whole one, and
     * count them again (the count may have missed the dead process's last update).
     */
    private void repair() {
        long head = getLong(HEAD);
        long tail = getLong(TAIL);
        long pos = head;
        int n = 0;
        while (pos < tail) {
            long off = pos % ring;
            if (ring - off < 4) {
                pos += ring - off;
                continue;
            }
            int len = getInt(RING + off);
            if (len == PADDING) {
                pos += ring - off;
                continue;
            }
            int rec = len < 0 ? -1 : SharedQueueLayout.recordSize(len);
            if (rec < 0 || off + rec > ring || pos + rec > tail) {
                break;
            }
            pos += rec;
            n++;
        }
        setLong(TAIL, pos);
        setInt(COUNT, n);
        setLong(UNFINISHED, Math.max(getLong(UNFINISHED), n));
    }

    private static final java.lang.invoke.VarHandle VOLATILE_INT = ValueLayout.JAVA_INT.varHandle();
    private static final long SPIN_NANOS = Long.getLong("multitask.spinMicros", 50) * 1000;

    /**
     * Waits, with the lock released, until the futex word is bumped or {@code deadline}; returns
     * false on timeout. It first polls the count for a short while: in a stream of messages the
     * other side acts within microseconds, and then nobody sleeps and nobody pays for a wake-up.
     */
    private boolean await(long word, long waitersAt, long deadline, boolean interruptible) throws InterruptedException {
        long left = deadline == Long.MAX_VALUE ? Futex.CHECK_NANOS : deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        if (word != JOIN && SPIN_NANOS > 0) {
            int count = getInt(COUNT);
            unlock();
            long until = System.nanoTime() + Math.min(SPIN_NANOS, left);
            int polls = 0;
            try {
                while (System.nanoTime() < until && (int) VOLATILE_INT.getVolatile(data, COUNT) == count) {
                    if ((++polls & 7) == 0) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                }
                if (word == NOT_EMPTY) {
                    gatherStream(count);
                }
            } finally {
                lock();
            }
            if (getInt(COUNT) != count) {
                return true; // the caller re-checks its condition
            }
        }
        int seq = getInt(word);
        setInt(waitersAt, getInt(waitersAt) + 1);
        unlock();
        try {
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException();
            }
            Futex.awaitUntil(data.asSlice(word, 4), seq, deadline);
        } finally {
            lock();
            if (getInt(word) == seq) { // not signalled (a time-out): still counted, uncount
                setInt(waitersAt, Math.max(0, getInt(waitersAt) - 1));
            }
        }
        return true;
    }

    /**
     * Records have started to arrive: while they keep coming (one at least every
     * {@link #STREAM_GAP_NANOS}), let up to a batch of them gather before taking the lock, so
     * that a consumer does not take the lock after every put and fight the producer for it.
     * Once a stream is seen (several records within the gap), the consumer sleeps between looks
     * rather than spinning: on a machine with few cores the producer needs the core more.
     */
    private void gatherStream(int before) {
        int seen = (int) VOLATILE_INT.getVolatile(data, COUNT);
        long lastChange = System.nanoTime();
        while (seen - before < BATCH && seen != before) {
            if (seen - before >= STREAM_RECORDS) {
                java.util.concurrent.locks.LockSupport.parkNanos(GATHER_PARK_NANOS);
                int now = (int) VOLATILE_INT.getVolatile(data, COUNT);
                if (now == seen) {
                    return; // the stream paused
                }
                seen = now;
                continue;
            }
            for (int i = 0; i < GATHER_PAUSES; i++) {
                Thread.onSpinWait(); // reading the count less often leaves its cache line to the producer
            }
            int now = (int) VOLATILE_INT.getVolatile(data, COUNT);
            long t = System.nanoTime();
            if (now != seen) {
                seen = now;
                lastChange = t;
            } else if (t - lastChange > STREAM_GAP_NANOS) {
                return;
            }
        }
    }

    private static final long STREAM_GAP_NANOS = 2_000;
    private static final int STREAM_RECORDS = 8;
    private static final long GATHER_PARK_NANOS = 50_000;
    private static final int GATHER_PAUSES = 16;

    /**
     * Wakes the waiters on {@code word}, if any: bumps the word, and un-counts them all (each
     * woken waiter counts itself again if it must wait again), so that the next signals are no
     * system calls until somebody waits again; lock held. The caller wakes the futex after
     * releasing the lock when the word changed during its hold.
     */
    private void signal(long word, long waitersAt) {
        if (getInt(waitersAt) > 0) {
            setInt(word, getInt(word) + 1);
            setInt(waitersAt, 0);
        }
    }

    // ---- put -------------------------------------------------------------------------------------

    /** Each thread serializes into its own scratch buffer, copied straight into the ring. */
    private static final ThreadLocal<Bytes> SCRATCH = ThreadLocal.withInitial(() -> new Bytes(256));

    private Bytes serialize(T e) {
        Objects.requireNonNull(e, "SharedQueue does not accept null elements");
        Bytes b = SCRATCH.get();
        b.length(0);
        try {
            serializer.serialize(e, b);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        if (SharedQueueLayout.recordSize(b.length()) > ring) {
            throw new IllegalArgumentException("an element of " + b.length() + " serialized bytes does not fit in queue '"
                    + name() + "', whose buffer is " + ring + " bytes; create the queue with a larger buffer");
        }
        if (b.array().length > (1 << 20)) {
            SCRATCH.remove(); // do not keep a large buffer per thread
        }
        return b;
    }

    /** Adds a record if there is room now; lock held. */
    private boolean tryAppend(Bytes b) {
        int len = b.length();
        long head = getLong(HEAD);
        long tail = getLong(TAIL);
        int need = SharedQueueLayout.recordSize(len);
        long off = tail % ring;
        long contiguous = ring - off;
        long required = contiguous < need ? contiguous + need : need;
        if (getInt(COUNT) >= getInt(MAX_ITEMS) || ring - (tail - head) < required) {
            return false;
        }
        if (contiguous < need) {
            if (contiguous >= 4) {
                setInt(RING + off, PADDING);
            }
            tail += contiguous;
            off = 0;
        }
        setInt(RING + off, len);
        MemorySegment.copy(b.array(), 0, data, ValueLayout.JAVA_BYTE, RING + off + 4, len);
        setLong(TAIL, tail + need); // the commit point
        setInt(COUNT, getInt(COUNT) + 1);
        setLong(UNFINISHED, getLong(UNFINISHED) + 1);
        signal(NOT_EMPTY, EMPTY_WAITERS);
        return true;
    }

    private boolean append(Bytes b, long deadline, boolean interruptible) throws InterruptedException {
        boolean wake;
        lock();
        try {
            int signals = getInt(NOT_EMPTY);
            while (!tryAppend(b)) {
                if (!await(NOT_FULL, FULL_WAITERS, deadline, interruptible)) {
                    return false;
                }
            }
            wake = getInt(NOT_EMPTY) != signals;
        } finally {
            unlock();
        }
        if (wake) {
            Futex.wake(data.asSlice(NOT_EMPTY, 4), Integer.MAX_VALUE);
        }
        return true;
    }

    @Override
    public void put(T e) throws InterruptedException {
        append(serialize(e), Long.MAX_VALUE, true);
    }

    @Override
    public boolean offer(T e) {
        try {
            return append(serialize(e), System.nanoTime(), false);
        } catch (InterruptedException x) {
            throw new AssertionError(x);
        }
    }

    @Override
    public boolean offer(T e, long timeout, TimeUnit unit) throws InterruptedException {
        return append(serialize(e), System.nanoTime() + Math.max(0, unit.toNanos(timeout)), true);
    }

    /** As {@link #offer(Object, long, TimeUnit)}. */
    public boolean offer(T e, Duration timeout) throws InterruptedException {
        return offer(e, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- take ------------------------------------------------------------------------------------

    /** At most this many bytes of records are taken in one batch (unless the first record is larger). */
    static final long BATCH_BYTES = 256 << 10;

    /**
     * Moves up to {@value #BATCH} records (and at most {@link #BATCH_BYTES} bytes, or one larger
     * record) into this process's buffer with one copy of their ring bytes; the lock and the
     * buffer's monitor held.
     */
    private int drainRing() {
        int max = Math.min(BATCH, getInt(COUNT));
        long head = recordAt(getLong(HEAD)); // the batch starts at a record
        long pos = head;
        int n = 0;
        while (n < max) {
            long at = recordAt(pos);
            long end = at + SharedQueueLayout.recordSize(getInt(RING + at % ring));
            if (n > 0 && end - head > BATCH_BYTES) {
                break;
            }
            pos = end;
            n++;
        }
        int total = (int) (pos - head); // one record (< 2 GiB) or at most BATCH_BYTES
        byte[] b = new byte[total];
        long headOff = head % ring;
        int first = (int) Math.min(total, ring - headOff);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, RING + headOff, b, 0, first);
        if (total > first) {
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, RING, b, first, total - first);
        }
        taken.fill(b, first, n);
        setLong(HEAD, pos);
        setInt(COUNT, getInt(COUNT) - n);
        signal(NOT_FULL, FULL_WAITERS);
        return n;
    }

    /**
     * Where the record at or after position {@code pos} starts: {@code pos} itself, or the
     * ring's start when the rest of the ring is a gap (too short for a record, or padding).
     */
    private long recordAt(long pos) {
        long off = pos % ring;
        return ring - off < 4 || getInt(RING + off) == PADDING ? pos + ring - off : pos;
    }

    /**
     * The records a consumer took from the ring in one batch: the ring's bytes from the old
     * head to the new one, copied at once (two pieces when they wrapped around the ring's end;
     * {@code wrap} is where the second starts). Handed out one record at a time, each read
     * straight from this array. Guarded by its own monitor.
     */
    private static final class Taken {
        private static final boolean LITTLE = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
        private byte[] bytes = new byte[0];
        private int pos;
        private int wrap;
        private int left;

        void fill(byte[] b, int wrap, int n) {
            bytes = b;
            pos = 0;
            this.wrap = wrap;
            left = n;
        }

        boolean isEmpty() {
            return left == 0;
        }

        int size() {
            return left;
        }

        /** The next record's bytes (valid for good: a batch's array is never written again), or null. */
        BytesInput poll() {
            BytesInput in = peek();
            if (in != null) {
                pos = after(in);
                left--;
            }
            return in;
        }

        BytesInput peek() {
            return left == 0 ? null : at(pos);
        }

        private BytesInput at(int p) {
            if (p < wrap && (wrap - p < 4 || intAt(p) == PADDING)) {
                p = wrap; // the end of the ring, then its start
            }
            return new BytesInput(bytes, p + 4, intAt(p));
        }

        /** Where the record after {@code in} (not yet read) starts. */
        private static int after(BytesInput in) {
            return in.position() - 4 + SharedQueueLayout.recordSize(in.available());
        }

        /** The int the ring held at {@code p}, in the machine's byte order (as JAVA_INT wrote it). */
        private int intAt(int p) {
            byte[] b = bytes;
            int v = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
            return LITTLE ? v : Integer.reverseBytes(v);
        }

        void addAllTo(List<BytesInput> out) {
            int p = pos;
            for (int i = 0; i < left; i++) {
                BytesInput in = at(p);
                out.add(in);
                p = after(in);
            }
        }
    }

    /**
     * The next record: from this process's buffer, else from the ring (waiting for one until
     * {@code deadline}). Lock order: the queue's lock, then the buffer's monitor; the monitor
     * is never held while waiting.
     */
    private BytesInput next(long deadline, boolean interruptible) throws InterruptedException {
        synchronized (taken) {
            BytesInput b = taken.poll();
            if (b != null) {
                return b;
            }
        }
        BytesInput b;
        boolean wake;
        lock();
        try {
            int signals = getInt(NOT_FULL);
            while (true) {
                synchronized (taken) {
                    b = taken.poll();
                    if (b == null && getInt(COUNT) > 0) {
                        drainRing();
                        b = taken.poll();
                    }
                }
                if (b != null) {
                    break;
                }
                if (!await(NOT_EMPTY, EMPTY_WAITERS, deadline, interruptible)) {
                    return null;
                }
            }
            wake = getInt(NOT_FULL) != signals;
        } finally {
            unlock();
        }
        if (wake) {
            Futex.wake(data.asSlice(NOT_FULL, 4), Integer.MAX_VALUE);
        }
        return b;
    }

    @SuppressWarnings("unchecked")
    private T deserialize(BytesInput b) {
        try {
            return (T) serializer.deserialize(b);
        } catch (IOException e) {
            throw new UncheckedIOException("a corrupt element in queue '" + name() + "'", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("an element of queue '" + name() + "' is of class " + e.getMessage()
                    + ", which is not on this process's class path", e);
        }
    }

    @Override
    public T take() throws InterruptedException {
        return deserialize(next(Long.MAX_VALUE, true));
    }

    @Override
    public T poll() {
        try {
            BytesInput b = next(System.nanoTime(), false);
            return b == null ? null : deserialize(b);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        BytesInput b = next(System.nanoTime() + Math.max(0, unit.toNanos(timeout)), true);
        return b == null ? null : deserialize(b);
    }

    /** As {@link #poll(long, TimeUnit)}. */
    public T poll(Duration timeout) throws InterruptedException {
        return poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public T peek() {
        BytesInput b;
        boolean wake;
        lock();
        try {
            int signals = getInt(NOT_FULL);
            synchronized (taken) {
                if (taken.isEmpty() && getInt(COUNT) > 0) {
                    drainRing(); // makes room: producers waiting for it are woken
                }
                b = taken.peek();
            }
            wake = getInt(NOT_FULL) != signals;
        } finally {
            unlock();
        }
        if (wake) {
            Futex.wake(data.asSlice(NOT_FULL, 4), Integer.MAX_VALUE);
        }
        return b == null ? null : deserialize(b);
    }

    /** Waits until an element can be taken (without taking it); false at {@code deadline}. */
    boolean awaitElement(long deadline) throws InterruptedException {
        synchronized (taken) {
            if (!taken.isEmpty()) {
                return true;
            }
        }
        lock();
        try {
            while (getInt(COUNT) == 0) {
                synchronized (taken) {
                    if (!taken.isEmpty()) {
                        return true;
                    }
                }
                if (!await(NOT_EMPTY, EMPTY_WAITERS, deadline, true)) {
                    return false;
                }
            }
            return true;
        } finally {
            unlock();
        }
    }

    // ---- JoinableQueue ---------------------------------------------------------------------------

    /**
     * Python's {@code JoinableQueue.task_done()}: a consumer says it has finished with an element
     * it took.
     *
     * @throws IllegalStateException if called more times than elements were put
     */
    public void taskDone() {
        boolean wake;
        lock();
        try {
            long u = getLong(UNFINISHED);
            if (u <= 0) {
                throw new IllegalStateException("taskDone() called more times than there were elements in queue '" + name() + "'");
            }
            setLong(UNFINISHED, u - 1);
            int signals = getInt(JOIN);
            if (u == 1) {
                signal(JOIN, JOIN_WAITERS);
            }
            wake = getInt(JOIN) != signals;
        } finally {
            unlock();
        }
        if (wake) {
            Futex.wake(data.asSlice(JOIN, 4), Integer.MAX_VALUE);
        }
    }

    /** Python's {@code JoinableQueue.join()}: waits until every element put has been marked {@link #taskDone()}. */
    public void join() throws InterruptedException {
        lock();
        try {
            while (getLong(UNFINISHED) > 0) {
                await(JOIN, JOIN_WAITERS, Long.MAX_VALUE, true);
            }
        } finally {
            unlock();
        }
    }

    // ---- the rest of BlockingQueue -----------------------------------------------------------------

    @Override
    public int size() {
        int inRing;
        lock();
        try {
            inRing = getInt(COUNT);
        } finally {
            unlock();
        }
        synchronized (taken) {
            return inRing + taken.size();
        }
    }

    @Override
    public int remainingCapacity() {
        lock();
        try {
            int max = getInt(MAX_ITEMS);
            return max == Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(0, max - getInt(COUNT));
        } finally {
            unlock();
        }
    }

    @Override
    public int drainTo(Collection<? super T> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super T> c, int maxElements) {
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        int n = 0;
        T e;
        while (n < maxElements && (e = poll()) != null) {
            c.add(e);
            n++;
        }
        return n;
    }

    /** A snapshot of the elements now in the queue, in order; {@code remove} is not supported. */
    @Override
    public Iterator<T> iterator() {
        List<BytesInput> all = new ArrayList<>();
        lock();
        try {
            synchronized (taken) {
                taken.addAllTo(all);
            }
            long pos = getLong(HEAD);
            long tail = getLong(TAIL);
            while ((pos = recordAt(pos)) < tail) {
                long off = pos % ring;
                int len = getInt(RING + off);
                byte[] b = new byte[len];
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, RING + off + 4, b, 0, len);
                all.add(new BytesInput(b, 0, len));
                pos += SharedQueueLayout.recordSize(len);
            }
        } finally {
            unlock();
        }
        List<T> out = new ArrayList<>(all.size());
        for (BytesInput b : all) {
            out.add(deserialize(b));
        }
        return Collections.unmodifiableList(out).iterator();
    }

    /** Unmaps this process's view. */
    @Override
    public void close() {
        memory.close();
    }

    /** Removes the queue's name (see {@link SharedMemory#unlink()}). */
    public void unlink() {
        memory.unlink();
    }

    /** Travels as its name (see {@link dev.multitask.shm.SharedObjectRef}). */
    @Serial
    private Object writeReplace() {
        return new dev.multitask.shm.SharedObjectRef(SharedQueue.class.getName(), name());
    }
}
