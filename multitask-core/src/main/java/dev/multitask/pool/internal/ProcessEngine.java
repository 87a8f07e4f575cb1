package dev.multitask.pool.internal;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import dev.multitask.function.SerializableRunnable;
import dev.multitask.ipc.SerializationException;
import dev.multitask.ipc.Serializer;
import dev.multitask.ipc.internal.BlobArena;
import dev.multitask.ipc.internal.Blobs;
import dev.multitask.ipc.internal.Bytes;
import dev.multitask.ipc.internal.Channel;
import dev.multitask.ipc.internal.DefaultSerializer;
import dev.multitask.ipc.internal.Stateless;
import dev.multitask.pool.InitializerFailedException;
import dev.multitask.process.RemoteTaskException;
import dev.multitask.process.TaskTimeoutException;
import dev.multitask.process.WorkerDiedException;
import dev.multitask.process.internal.LaunchSpec;
import dev.multitask.process.internal.Protocol;
import dev.multitask.process.internal.WorkerProcess;
import dev.multitask.process.internal.Workers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine behind {@code ProcessPool} and {@code ProcessPoolExecutor}: a set of worker
 * JVMs, a queue of jobs, and one reader thread per worker.
 *
 * <h2>Design</h2>
 * A worker runs one job at a time. A job submitted while a worker is idle is written to that
 * worker's socket by the submitting thread; otherwise it waits in {@link #queue}. Whoever
 * reads an answer hands the worker its next job (written before the answer is delivered, so
 * the worker is not idle while callbacks run), then completes the answered job's result.
 *
 * <h2>Who reads a socket</h2>
 * One thread at a time, holding the slot's {@code readLock}. A caller waiting on a result
 * ({@code get()}, {@code apply}) reads its own answer when it can take the lock: no thread
 * wake-up stands between the answer and the caller (on small virtual machines a wake-up costs
 * 15-25 us, more than the rest of a round trip). Otherwise the slot's reader thread reads: it
 * is signalled when a job is sent that no caller waits on yet, when a helping caller gives up
 * (timeout, interrupt) with the answer still due, and when the worker process exits; it
 * sleeps the rest of the time. For a job nobody waits on it is woken by the pool's sweeper
 * thread once the answer has been unclaimed for a grace period ({@link #READER_GRACE_NANOS}):
 * {@code submit(...).get()} usually follows within microseconds, and waking a thread per task
 * would cost a core's time on a two-core machine. While the pool is busy the sweeper looks
 * again after an interval that halves (down to half the grace period) each time it had to
 * wake a reader and doubles (up to 1 ms) each time callers had claimed everything; it sleeps
 * when the pool has been idle for a while, and sending a job wakes it only from that sleep. An idle worker's death is seen through
 * {@link Process#onExit()}, a busy one's as end-of-file by whoever reads.
 *
 * <h2>States</h2>
 * {@code RUNNING -> CLOSING -> CLOSED} (close: queued work finishes, then workers are told to
 * exit), {@code RUNNING|CLOSING -> TERMINATED} (terminate: workers are killed, pending jobs
 * cancelled), {@code RUNNING -> BROKEN} (a worker could not start, or the initializer failed:
 * queued jobs fail with that cause, new ones are refused). All state below is guarded by
 * {@link #lock}.
 *
 * <h2>Failure</h2>
 * A worker's death shows as end-of-file on its socket. The reader then collects its exit
 * status, fails the job it was running with {@link WorkerDiedException} (or
 * {@link TaskTimeoutException} when the timeout timer killed it, or
 * {@link CancellationException} when the job was cancelled or the pool terminated), and starts
 * a replacement. No job is ever left waiting on a dead worker. Jobs are not retried.
 */
public final class ProcessEngine implements Engine {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final java.util.concurrent.ScheduledThreadPoolExecutor TIMERS = timers();

    private static java.util.concurrent.ScheduledThreadPoolExecutor timers() {
        var t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "multitask-pool-timers");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    private enum State { RUNNING, CLOSING, CLOSED, TERMINATED, BROKEN }

    /** How long a reader thread leaves a job's caller to come and read the answer itself. */
    static final long READER_GRACE_NANOS = Math.max(20_000, 2 * Channel.SPIN_NANOS);

    /** Pool settings. */
    public record Config(int processes, int maxTasksPerChild, SerializableRunnable initializer, Duration taskTimeout,
            List<String> jvmOptions, Serializer serializer) {
    }

    private static final class Job {
        final long id;
        final byte type;
        final Bytes message;
        final List<byte[]> blobs;
        final Result<Object> result;
        volatile Slot runningOn;
        volatile long sentAt;

        Job(long id, byte type, Bytes message, List<byte[]> blobs, Result<Object> result) {
            this.id = id;
            this.type = type;
            this.message = message;
            this.blobs = blobs;
            this.result = result;
        }
    }

    private final class Slot {
        final WorkerProcess worker;
        final ReentrantLock readLock = new ReentrantLock();
        final java.util.concurrent.atomic.AtomicBoolean dead = new java.util.concurrent.atomic.AtomicBoolean();
        volatile Thread reader;
        volatile boolean readerWanted;
        volatile Job current;
        int tasksDone;
        boolean timedOut;
        boolean stopping;
        ScheduledFuture<?> timer;
        final BlobArena toWorker;
        final BlobArena fromWorker;

        Slot(WorkerProcess worker) {
            this.worker = worker;
            this.toWorker = BlobArena.writer(worker.toWorkerBlobs());
            this.fromWorker = BlobArena.reader(worker.fromWorkerBlobs());
        }

        /** Asks the reader thread to read (an answer is due, or the worker exited). */
        void wakeReader() {
            readerWanted = true;
            Thread r = reader;
            if (r != null) {
                java.util.concurrent.locks.LockSupport.unpark(r);
            }
        }

        /** Releases the worker's channel and pipe and deletes the shared files. */
        void release() {
            worker.release();
            toWorker.delete();
            fromWorker.delete();
        }
    }

    private final String name;
    private final int size;
    private final int maxTasksPerChild;
    private final Duration taskTimeout;
    private final Bytes initMessage;
    private final LaunchSpec spec;
    private final Serializer serializer;
    private final AtomicLong ids = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Sweeper sweeper = new Sweeper();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final ArrayDeque<Slot> idle = new ArrayDeque<>();
    private final List<Slot> slots = new ArrayList<>();
    private int starting;
    private int active;
    private State state = State.RUNNING;
    private RuntimeException brokenCause;

    public ProcessEngine(Config c) {
        this.name = "multitask-pool-" + POOLS.incrementAndGet();
        this.size = c.processes();
        this.maxTasksPerChild = c.maxTasksPerChild();
        this.taskTimeout = c.taskTimeout();
        this.serializer = c.serializer() == null ? DefaultSerializer.INSTANCE : c.serializer();
        String serializerClass = c.serializer() == null || c.serializer() instanceof DefaultSerializer
                ? "" : c.serializer().getClass().getName();
        this.spec = new LaunchSpec(c.jvmOptions(), serializerClass);
        if (c.initializer() != null) {
            initMessage = Channel.message(256);
            writeSegment(initMessage, c.initializer());
            Protocol.finish(initMessage, List.of());
        } else {
            initMessage = null;
        }
        lock.lock();
        try {
            for (int i = 0; i < size; i++) {
                launchWorker();
            }
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        return size;
    }

    private void writeSegment(Bytes out, Object value) {
        try {
            Protocol.writeSegment(out, serializer, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- submission ------------------------------------------------------------------------

    /** Submits a callable; serialization failures are thrown here, at once. */
    public <R> Result<R> submitCall(SerializableCallable<? extends R> task) {
        return submitCall(task, false);
    }

    /**
     * Submits a callable; {@code callerWaits} says the caller is about to wait for the answer
     * (as {@code apply} does), so that no reader thread is woken for it: the caller reads it.
     */
    @SuppressWarnings("unchecked")
    public <R> Result<R> submitCall(SerializableCallable<? extends R> task, boolean callerWaits) {
        Bytes msg = Channel.message(128);
        List<byte[]> blobs;
        if (Stateless.is(task)) {
            Protocol.writeRawSegment(msg, statelessBytes.computeIfAbsent(task.getClass(), c -> {
                try {
                    return DefaultSerializer.toBytes(serializer, task);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            Protocol.finish(msg, List.of());
            blobs = List.of();
        } else {
            blobs = serializeWithBlobs(msg, task);
        }
        return (Result<R>) submit(Protocol.CALL, msg, blobs, callerWaits);
    }

    /** The serialized form of each stateless task class of this pool, computed once (see {@link Stateless}). */
    private final java.util.concurrent.ConcurrentHashMap<Class<?>, byte[]> statelessBytes =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Serializes {@code value} into {@code msg}, leaving its large byte arrays out (by
     * reference: they are copied once, into the worker's shared file, when the job is sent).
     */
    private List<byte[]> serializeWithBlobs(Bytes msg, Object value) {
        Blobs.Collector blobs = new Blobs.Collector();
        ScopedValue.where(Blobs.COLLECTOR, blobs).run(() -> writeSegment(msg, value));
        Protocol.finish(msg, blobs.arrays());
        return blobs.arrays();
    }

    /** Serializes {@code fn} once; each chunk then costs only its items. */
    @SuppressWarnings("unchecked")
    public PoolBackend.ChunkRunner chunkRunner(SerializableFunction<Object, Object> fn) {
        byte[] fnBytes;
        try {
            fnBytes = DefaultSerializer.toBytes(serializer, fn);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return items -> {
            Bytes msg = Channel.message(fnBytes.length + 8 + items.size() * 5);
            Protocol.writeRawSegment(msg, fnBytes);
            List<byte[]> blobs = serializeWithBlobs(msg, items);
            return (Result<List<Object>>) (Result<?>) submit(Protocol.CHUNK, msg, blobs, false);
        };
    }

    private Result<Object> submit(byte type, Bytes msg, List<byte[]> blobs, boolean callerWaits) {
        Result<Object> result = new Result<>();
        Job job = new Job(ids.incrementAndGet(), type, msg, blobs, result);
        result.helper(deadline -> help(job, deadline));
        Slot slot;
        lock.lock();
        try {
            checkAccepting();
            active++;
            slot = idle.poll();
            if (slot != null) {
                assign(slot, job);
            } else {
                queue.add(job);
            }
        } finally {
            lock.unlock();
        }
        result.onCancel(m -> cancel(job, m));
        if (slot != null) {
            send(slot, job, !callerWaits);
        }
        return result;
    }

    /**
     * Run by a caller waiting on {@code job}: if the job is running and nobody is reading its
     * worker's socket, read the answer here. Gives up at {@code deadline} or on interrupt (the
     * reader thread then takes over).
     */
    private void help(Job job, long deadline) {
        Slot slot = job.runningOn;
        if (slot == null || !slot.readLock.tryLock()) {
            return;
        }
        try {
            while (!job.result.isDone() && job.runningOn == slot && !slot.dead.get()) {
                Channel.Frame f;
                try {
                    f = slot.worker.channel().receive(Channel.SPIN_NANOS, deadline);
                } catch (IOException e) {
                    died(slot);
                    return;
                }
                if (f == null || !answered(slot, f)) {
                    return;
                }
            }
        } finally {
            slot.readLock.unlock();
            if (slot.current != null && !slot.dead.get()) {
                slot.wakeReader();
            }
        }
    }

    private void checkAccepting() {
        switch (state) {
            case RUNNING -> { }
            case BROKEN -> throw new IllegalStateException("the pool is broken: " + brokenCause.getMessage(), brokenCause);
            default -> throw new IllegalStateException("the pool is " + state.name().toLowerCase()
                    + " and accepts no new tasks; create a new pool");
        }
    }

    private void assign(Slot slot, Job job) {
        slot.current = job;
        job.runningOn = slot;
    }

    private void send(Slot slot, Job job) {
        send(slot, job, true);
    }

    /** Writes the job to its worker; {@code wakeReader}: nobody is known to wait for the answer. */
    private void send(Slot slot, Job job, boolean wakeReader) {
        if (taskTimeout != null) {
            slot.timer = TIMERS.schedule(() -> timeout(slot, job), taskTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        job.sentAt = System.nanoTime();
        try {
            if (!job.blobs.isEmpty()) {
                Protocol.placeBlobs(job.message, job.blobs, slot.toWorker);
            }
            slot.worker.channel().send(job.type, job.id, job.message);
        } catch (IOException e) {
            // the worker died (its reader sees end-of-file and fails the job), or the shared
            // file could not grow: then kill the worker so that the job fails rather than hangs
            slot.worker.kill();
        }
        if (wakeReader) {
            sweeper.activity();
        }
    }

    private void timeout(Slot slot, Job job) {
        lock.lock();
        try {
            if (slot.current != job) {
                return;
            }
            slot.timedOut = true;
        } finally {
            lock.unlock();
        }
        slot.worker.kill();
    }

    private void cancel(Job job, boolean mayInterruptIfRunning) {
        Slot running = null;
        lock.lock();
        try {
            if (queue.remove(job)) {
                active--;
                changed.signalAll();
            } else if (mayInterruptIfRunning && job.runningOn != null && job.runningOn.current == job) {
                running = job.runningOn;
            }
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.worker.kill();
        }
    }

    /** Wakes the reader of a worker whose answer no caller has claimed (see the class comment). */
    private final class Sweeper implements Runnable {
        private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
        private static final long MAX_INTERVAL = TimeUnit.MILLISECONDS.toNanos(1);
        private long interval = READER_GRACE_NANOS / 2;
        private volatile boolean deepSleep = true;
        private volatile long lastActivity;
        private volatile Thread thread;

        void activity() {
            lastActivity = System.nanoTime();
            if (deepSleep) {
                start();
                deepSleep = false;
                java.util.concurrent.locks.LockSupport.unpark(thread);
            }
        }

        private synchronized void start() {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name(name + "-sweeper").start(this);
            }
        }

        @Override
        public void run() {
            while (!isFinished()) {
                if (deepSleep) {
                    java.util.concurrent.locks.LockSupport.park(this);
                    continue;
                }
                long now = System.nanoTime();
                boolean due = false;
                boolean woke = false;
                List<Slot> snapshot;
                lock.lock();
                try {
                    snapshot = new ArrayList<>(slots);
                } finally {
                    lock.unlock();
                }
                for (Slot s : snapshot) {
                    Job j = s.current;
                    if (j != null) {
                        due = true;
                        if (now - j.sentAt > READER_GRACE_NANOS && !s.readLock.isLocked()) {
                            s.wakeReader();
                            woke = true;
                        }
                    }
                }
                if (!due && now - lastActivity > IDLE_NANOS) {
                    deepSleep = true;
                    if (System.nanoTime() - lastActivity <= IDLE_NANOS) {
                        deepSleep = false; // activity raced with going to sleep
                    }
                    continue;
                }
                interval = woke ? Math.max(READER_GRACE_NANOS / 2, interval / 2) : Math.min(MAX_INTERVAL, interval * 2);
                java.util.concurrent.locks.LockSupport.parkNanos(this, interval);
            }
        }
    }

    private boolean isFinished() {
        lock.lock();
        try {
            return (state == State.CLOSED || state == State.TERMINATED || state == State.BROKEN) && slots.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    // ---- workers ---------------------------------------------------------------------------

    /** Starts one worker; called with the lock held. */
    private void launchWorker() {
        starting++;
        Workers.obtain(spec).whenComplete((w, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                lock.lock();
                try {
                    starting--;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                breakPool(cause instanceof RuntimeException r ? r : new IllegalStateException(cause));
                return;
            }
            Thread t = new Thread(() -> serve(new Slot(w)), name + "-worker-" + w.pid());
            t.setDaemon(true);
            t.start();
        });
    }

    /** The reader thread of one worker: initialize it, then answer jobs until it dies or is stopped. */
    private void serve(Slot slot) {
        Channel ch = slot.worker.channel();
        if (initMessage != null && !initialize(slot, ch)) {
            return;
        }
        Job first;
        lock.lock();
        try {
            starting--;
            if (state != State.RUNNING && state != State.CLOSING) {
                changed.signalAll();
                first = null;
                slot.stopping = true;
            } else {
                slots.add(slot);
                first = next(slot);
            }
        } finally {
            lock.unlock();
        }
        if (slot.stopping) {
            stopWorker(slot);
            return;
        }
        slot.reader = Thread.currentThread();
        slot.worker.process().onExit().thenRun(slot::wakeReader);
        if (first != null) {
            send(slot, first);
        }
        while (!slot.dead.get()) {
            if (!slot.readerWanted) {
                java.util.concurrent.locks.LockSupport.park(this);
                continue;
            }
            slot.readerWanted = false;
            if (!readAnswers(slot, ch)) {
                return;
            }
        }
    }

    /**
     * The reader thread's turn: reads answers while one is due and no caller reads it. Returns
     * false when the slot is finished (dead or retired).
     */
    private boolean readAnswers(Slot slot, Channel ch) {
        while (!slot.dead.get()) {
            Job due = slot.current;
            boolean exited = !slot.worker.isAlive();
            if (due == null && !exited) {
                return true;
            }
            if (!slot.readLock.tryLock()) {
                return true; // a caller is reading; it wakes this thread again if it gives up
            }
            try {
                if (slot.current != due && slot.worker.isAlive()) {
                    continue; // answered meanwhile: look again
                }
                Channel.Frame f;
                try {
                    f = ch.receive();
                } catch (IOException e) {
                    died(slot);
                    return false;
                }
                if (!answered(slot, f)) {
                    return false;
                }
            } finally {
                slot.readLock.unlock();
            }
        }
        return false;
    }

    private boolean initialize(Slot slot, Channel ch) {
        Throwable failure;
        try {
            ch.send(Protocol.INIT, 0, initMessage);
            Channel.Frame f = ch.receive();
            if (f.type() == Protocol.OK) {
                return true;
            }
            failure = decodeError(Protocol.parse(f));
        } catch (IOException e) {
            int status = slot.worker.awaitExit(5000);
            failure = new WorkerDiedException(slot.worker.pid(), status, "while running the pool's initializer");
        }
        lock.lock();
        try {
            starting--;
        } finally {
            lock.unlock();
        }
        slot.worker.kill();
        breakPool(new InitializerFailedException("the pool's initializer failed in worker process "
                + slot.worker.pid() + ": " + failure, failure));
        return false;
    }

    /** Handles one answer; false when this reader should stop. */
    private boolean answered(Slot slot, Channel.Frame f) {
        Job job;
        lock.lock();
        try {
            job = slot.current;
        } finally {
            lock.unlock();
        }
        if (job == null || job.id != f.id()) {
            slot.worker.kill(); // a protocol violation: treat the worker as broken
            return true;
        }
        if (slot.timer != null) {
            slot.timer.cancel(false);
        }
        // Hand the worker its next job before decoding this answer, so that it works while we
        // decode; unless the answer has arrays in the worker's shared file, which its next
        // answer would overwrite.
        Protocol.Message m = null;
        Throwable error = null;
        try {
            m = Protocol.parse(f);
        } catch (IOException e) {
            error = new SerializationException("cannot read the task's answer: " + e, null, e);
        }
        boolean early = m != null && m.blobCount() == 0;
        boolean retire = early && handOff(slot);
        Object value = null;
        if (m != null && f.type() == Protocol.OK) {
            Protocol.Message msg = m;
            try {
                value = msg.blobCount() == 0
                        ? Protocol.readSegment(msg.body(), serializer)
                        : ScopedValue.where(Blobs.SOURCE, msg.source(slot.fromWorker))
                                .call(() -> Protocol.readSegment(msg.body(), serializer));
            } catch (ClassNotFoundException e) {
                error = new SerializationException("the task's result is of class " + e.getMessage()
                        + ", which is not on this process's class path", e.getMessage(), e);
            } catch (Exception e) {
                error = new SerializationException("cannot read the task's result: " + e, null, e);
            }
        } else if (m != null) {
            error = decodeError(m);
        }
        if (!early) {
            retire = handOff(slot);
        }
        if (error == null) {
            job.result.complete(value);
        } else {
            job.result.completeExceptionally(error);
        }
        finished();
        if (retire) {
            Thread.ofVirtual().name(name + "-retire-" + slot.worker.pid()).start(() -> stopWorker(slot));
            return false;
        }
        return true;
    }

    /**
     * The worker has answered its job: give it the next one (or retire it after
     * {@code maxTasksPerChild}). Returns true when it is to retire.
     */
    private boolean handOff(Slot slot) {
        Job next = null;
        boolean retire = false;
        lock.lock();
        try {
            Job job = slot.current;
            slot.current = null;
            if (job != null) {
                job.runningOn = null;
            }
            slot.tasksDone++;
            if (maxTasksPerChild > 0 && slot.tasksDone >= maxTasksPerChild) {
                retire = true;
                slot.stopping = true;
                slots.remove(slot);
                if (state == State.RUNNING || (state == State.CLOSING && !queue.isEmpty())) {
                    launchWorker();
                }
            } else {
                next = next(slot);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (next != null) {
            send(slot, next);
        }
        return retire;
    }

    private Throwable decodeError(Protocol.Message m) {
        try {
            Object o = Protocol.readSegment(m.body(), serializer);
            return o instanceof Throwable t ? t : new RemoteTaskException(String.valueOf(o), "not an exception");
        } catch (ClassNotFoundException e) {
            return new RemoteTaskException(e.getMessage(), "the task failed with an exception whose class is not on"
                    + " this process's class path");
        } catch (IOException | RuntimeException e) {
            return new RemoteTaskException(e.getClass().getName(), "the task failed, and its exception could not be read: " + e);
        }
    }

    /** The next job for an idle worker, or null (then the worker is parked as idle); lock held. */
    private Job next(Slot slot) {
        if (state != State.RUNNING && state != State.CLOSING) {
            return null;
        }
        Job j = queue.poll();
        if (j != null) {
            assign(slot, j);
        } else {
            idle.push(slot);
        }
        return j;
    }

    private void died(Slot slot) {
        if (!slot.dead.compareAndSet(false, true)) {
            return;
        }
        java.util.concurrent.locks.LockSupport.unpark(slot.reader);
        int status = slot.worker.awaitExit(2000);
        if (status < 0) {
            slot.worker.kill();
            status = slot.worker.awaitExit(2000);
        }
        Job job;
        boolean terminated;
        lock.lock();
        try {
            slots.remove(slot);
            idle.remove(slot);
            job = slot.current;
            slot.current = null;
            if (job != null) {
                job.runningOn = null;
            }
            terminated = state == State.TERMINATED;
            if (!slot.stopping && (state == State.RUNNING || (state == State.CLOSING && !queue.isEmpty()))) {
                launchWorker();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (slot.timer != null) {
            slot.timer.cancel(false);
        }
        slot.release();
        if (job != null) {
            Throwable why;
            if (terminated) {
                why = new CancellationException("the pool was terminated");
            } else if (slot.timedOut) {
                why = new TaskTimeoutException(taskTimeout, slot.worker.pid());
            } else if (job.result.isCancelled()) {
                why = new CancellationException("cancelled");
            } else {
                why = new WorkerDiedException(slot.worker.pid(), status, "while running a task");
            }
            job.result.completeExceptionally(why);
            finished();
        }
    }

    /**
     * Counts a job as done, after its result is complete: so that close() returns only once
     * every result it waited for can be read.
     */
    private void finished() {
        lock.lock();
        try {
            active--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void stopWorker(Slot slot) {
        slot.dead.set(true);
        java.util.concurrent.locks.LockSupport.unpark(slot.reader);
        try {
            slot.worker.channel().send(Protocol.EXIT, 0);
        } catch (IOException e) {
            // already gone
        }
        if (slot.worker.awaitExit(10_000) < 0) {
            slot.worker.kill();
            slot.worker.awaitExit(5_000);
        }
        slot.release();
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void breakPool(RuntimeException cause) {
        List<Job> failed;
        List<Slot> toKill;
        lock.lock();
        try {
            if (state != State.RUNNING && state != State.CLOSING) {
                return;
            }
            state = State.BROKEN;
            brokenCause = cause;
            failed = new ArrayList<>(queue);
            queue.clear();
            active -= failed.size();
            toKill = new ArrayList<>(slots);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Job j : failed) {
            j.result.completeExceptionally(cause);
        }
        for (Slot s : toKill) {
            s.worker.kill();
        }
    }

    // ---- lifecycle -------------------------------------------------------------------------

    /** No new jobs from now on; returns at once. */
    @Override
    public void beginClose() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.CLOSING;
            }
        } finally {
            lock.unlock();
        }
    }

    /** No new jobs; wait for queued and running ones; tell the workers to exit. */
    @Override
    public void close() {
        List<Slot> toStop;
        boolean interrupted = false;
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.CLOSING;
            }
            while (state == State.CLOSING && active > 0) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (state == State.CLOSING) {
                state = State.CLOSED;
            }
            toStop = new ArrayList<>(slots);
            for (Slot s : toStop) {
                s.stopping = true;
            }
            idle.clear();
        } finally {
            lock.unlock();
        }
        for (Slot s : toStop) {
            try {
                s.worker.channel().send(Protocol.EXIT, 0);
            } catch (IOException e) {
                // already gone
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kill every worker; pending and running jobs fail with CancellationException. */
    @Override
    public void terminate() {
        List<Job> cancelled;
        List<Slot> toKill;
        lock.lock();
        try {
            if (state == State.TERMINATED) {
                return;
            }
            state = State.TERMINATED;
            cancelled = new ArrayList<>(queue);
            queue.clear();
            active -= cancelled.size();
            toKill = new ArrayList<>(slots);
            for (Slot s : toKill) {
                s.stopping = true;
            }
            idle.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Job j : cancelled) {
            j.result.completeExceptionally(new CancellationException("the pool was terminated"));
        }
        for (Slot s : toKill) {
            s.worker.kill();
        }
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return state != State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no worker process of this pool is alive, after close or terminate. */
    public boolean awaitWorkersGone(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        lock.lock();
        try {
            if (state == State.RUNNING || state == State.CLOSING) {
                throw new IllegalStateException("the pool is still running; call close() or terminate() before join()");
            }
            while (true) {
                boolean alive = starting > 0;
                for (Slot s : slots) {
                    alive |= s.worker.isAlive();
                }
                if (!alive) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the pool has been closed or terminated and no worker is alive; false on timeout. */
    @Override
    public boolean awaitTerminated(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        lock.lock();
        try {
            while (state == State.RUNNING || state == State.CLOSING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
        return awaitWorkersGone(Math.max(0, deadline - System.nanoTime()));
    }

    /** The pids of the live workers (for tests and diagnostics). */
    public List<Long> workerPids() {
        lock.lock();
        try {
            List<Long> l = new ArrayList<>();
            for (Slot s : slots) {
                l.add(s.worker.pid());
            }
            return l;
        } finally {
            lock.unlock();
        }
    }
}
