package dev.multitask.process;

import dev.multitask.function.SerializableRunnable;
import dev.multitask.ipc.Serializer;
import dev.multitask.ipc.internal.Bytes;
import dev.multitask.ipc.internal.Channel;
import dev.multitask.process.internal.LaunchSpec;
import dev.multitask.process.internal.Protocol;
import dev.multitask.process.internal.WorkerProcess;
import dev.multitask.process.internal.Workers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a task in a separate JVM process: Python's {@code multiprocessing.Process}.
 *
 * <pre>{@code
 * var p = new ChildProcess(() -> work(i));   // the arguments are what the lambda captures
 * p.start();
 * p.join();
 * p.exitCode();                              // OptionalInt[0]
 * }</pre>
 *
 * <p>The child is a JVM started with this JVM's own {@code java} binary and class path, so
 * the target may be any serializable lambda, method reference or object whose class is on
 * that class path. Its stdout and stderr are this process's. It exits with status 0 when
 * the target returns (and its non-daemon threads end), 1 when the target throws (the stack
 * trace is printed on its stderr), or whatever the target passes to {@code System.exit}.
 * It halts by itself if this process dies, so no child outlives its parent.
 *
 * <p>{@link #start()} is fast when a warm spare JVM is ready (see {@link #prestart}).
 *
 * <p>Thread-safety: all methods may be called from any thread; {@code start()} at most once.
 */
public final class ChildProcess implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final SerializableRunnable target;
    private final String name;
    private final LaunchSpec spec;
    private volatile WorkerProcess worker;

    /** A child that will run {@code target}, named {@code Process-N} as in Python. */
    public ChildProcess(SerializableRunnable target) {
        this("Process-" + COUNTER.incrementAndGet(), target);
    }

    public ChildProcess(String name, SerializableRunnable target) {
        this(name, java.util.List.of(), target);
    }

    /**
     * A child whose JVM gets {@code jvmOptions} besides the usual ones (for example
     * {@code -Xmx2g}); it starts a JVM of its own rather than a warm spare.
     */
    public ChildProcess(String name, java.util.List<String> jvmOptions, SerializableRunnable target) {
        this.name = Objects.requireNonNull(name, "name");
        this.target = Objects.requireNonNull(target, "target");
        this.spec = jvmOptions.isEmpty() ? LaunchSpec.DEFAULT : new LaunchSpec(java.util.List.copyOf(jvmOptions), "");
    }

    /**
     * Keeps {@code n} warm spare JVMs ready from now on, so that {@code start()} and new pools
     * need not wait for a cold JVM (default 1 once processes are first used; 0 disables).
     */
    public static void prestart(int n) {
        Workers.prestart(n);
    }

    public String name() {
        return name;
    }

    /**
     * Starts the child and hands it the target. Returns once the child has it.
     *
     * @throws dev.multitask.ipc.SerializationException if the target cannot be serialized (nothing is started)
     * @throws IllegalStateException if already started
     * @throws WorkerStartException if no JVM could be started
     */
    public synchronized void start() {
        if (worker != null) {
            throw new IllegalStateException("process " + name + " was already started; a ChildProcess runs once");
        }
        Bytes msg = Channel.message(256);
        try {
            Serializer s = Serializer.defaultSerializer();
            Protocol.writeSegment(msg, s, name);
            Protocol.writeSegment(msg, s, target);
            Protocol.finish(msg, java.util.List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WorkerProcess w;
        try {
            w = Workers.obtain(spec).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting process " + name, e);
        } catch (ExecutionException | CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new WorkerStartException(String.valueOf(e.getCause()), e);
        }
        try {
            w.channel().send(Protocol.RUN_CHILD, 0, msg);
        } catch (IOException e) {
            // it died between start and now: join() and exitCode() report how
        }
        w.channel().close();
        worker = w;
    }

    /** Waits until the child has exited. */
    public void join() throws InterruptedException {
        started().process().waitFor();
    }

    /** Waits at most {@code timeout}; true if the child has exited. */
    public boolean join(Duration timeout) throws InterruptedException {
        return started().process().waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public boolean isAlive() {
        WorkerProcess w = worker;
        return w != null && w.isAlive();
    }

    /**
     * Empty while the child has not started or is still running; then its exit status: 0
     * after a normal return, 1 when the target threw, the status passed to
     * {@code System.exit}, or 128 + N when it was killed by signal N.
     */
    public OptionalInt exitCode() {
        WorkerProcess w = worker;
        if (w == null || w.isAlive()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(w.process().exitValue());
    }

    /** The child's process id. */
    public long pid() {
        return started().pid();
    }

    /** Asks the child to stop (SIGTERM): shutdown hooks run. */
    public void terminate() {
        started().terminate();
    }

    /** Stops the child at once (SIGKILL). */
    public void kill() {
        started().kill();
    }

    /**
     * Releases this handle. A child still running goes on running (as in Python); it still
     * exits when this JVM does.
     */
    @Override
    public void close() {
        // nothing is held open after start(): the channel is closed once the target is sent,
        // and the stdin pipe must stay open as long as the child should live.
    }

    private WorkerProcess started() {
        WorkerProcess w = worker;
        if (w == null) {
            throw new IllegalStateException("process " + name + " has not been started; call start() first");
        }
        return w;
    }

    @Override
    public String toString() {
        WorkerProcess w = worker;
        String state = w == null ? "initial" : w.isAlive() ? "started" : "stopped exitcode=" + w.process().exitValue();
        return "<ChildProcess name='" + name + "'" + (w == null ? "" : " pid=" + w.pid()) + " " + state + ">";
    }
}
