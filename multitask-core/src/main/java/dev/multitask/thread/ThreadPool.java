package dev.multitask.thread;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import dev.multitask.pool.Pool;
import dev.multitask.pool.internal.PoolBackend;
import dev.multitask.pool.internal.BackedPool;
import dev.multitask.pool.internal.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Pool} contract on threads of this JVM: Python's
 * {@code multiprocessing.pool.ThreadPool}, without a GIL — tasks run truly in parallel.
 *
 * <pre>{@code
 * try (var pool = new ThreadPool(5)) {
 *     var r = pool.applyAsync(() -> fetch(url));
 *     System.out.println(r.get());
 * }
 * }</pre>
 *
 * <p>Nothing is serialized: tasks and results are passed by reference, and what a lambda
 * captures need not be serializable. Threads are platform threads by default, or virtual
 * threads ({@link Builder#virtualThreads()}) for tasks that mostly wait.
 *
 * <p>{@code cancel(true)} interrupts a running task; {@link #terminate()} interrupts all of
 * them and fails every pending result with a {@link CancellationException}. Thread-safe.
 */
public final class ThreadPool extends BackedPool {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final ThreadPoolExecutor executor;
    /** What each pool thread is running, for terminate(); one slot per thread, written per task. */
    private final java.util.concurrent.CopyOnWriteArrayList<RunningSlot> running = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ThreadLocal<RunningSlot> mySlot = ThreadLocal.withInitial(() -> {
        RunningSlot r = new RunningSlot();
        running.add(r);
        return r;
    });

    private static final class RunningSlot {
        volatile Task<?> task;
    }

    /**
     * Set by terminate() before it scans the running slots; a task publishes itself in its slot
     * before reading this flag. Both are volatile, so either the task sees the flag or
     * terminate() sees the task: no task taken off the queue escapes cancellation.
     */
    private volatile boolean terminated;
    private final PoolBackend backend;

    /** A pool of {@code threads} platform threads. */
    public ThreadPool(int threads) {
        this(builder().threads(threads));
    }

    private ThreadPool(Builder b) {
        this.threads = b.threads;
        String prefix = "multitask-threadpool-" + POOLS.incrementAndGet() + "-";
        ThreadFactory f = b.virtual
                ? Thread.ofVirtual().name(prefix, 1).factory()
                : Thread.ofPlatform().name(prefix, 1).daemon(true).factory();
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), f);
        backend = new PoolBackend() {
            @Override
            public <R> Result<R> submitCall(SerializableCallable<? extends R> task) {
                return submitTask(Objects.requireNonNull(task, "task"));
            }

            @Override
            public ChunkRunner chunkRunner(SerializableFunction<Object, Object> fn) {
                return items -> submitTask(() -> {
                    List<Object> out = new ArrayList<>(items.size());
                    for (int i = 0, n = items.size(); i < n; i++) {
                        out.add(fn.apply(items.get(i)));
                    }
                    return out;
                });
            }

            @Override
            public int parallelism() {
                return threads;
            }
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link ThreadPool}. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean virtual;

        private Builder() {
        }

        /** The number of threads (default: one per available processor). */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + n);
            }
            this.threads = n;
            return this;
        }

        /** Run tasks on virtual threads (still at most {@code threads} at a time). */
        public Builder virtualThreads() {
            this.virtual = true;
            return this;
        }

        /** Run tasks on platform threads (the default). */
        public Builder platformThreads() {
            this.virtual = false;
            return this;
        }

        public ThreadPool build() {
            return new ThreadPool(this);
        }
    }

    /** A submitted task: its result, and the thread running it (to interrupt on cancel). */
    private final class Task<R> implements Runnable {
        final Callable<? extends R> body;
        final Result<R> result = new Result<>();
        volatile Thread runner;

        Task(Callable<? extends R> body) {
            this.body = body;
        }

        @Override
        public void run() {
            if (result.isDone()) {
                return;
            }
            RunningSlot slot = mySlot.get();
            slot.task = this;
            if (terminated) {
                slot.task = null;
                result.completeExceptionally(new CancellationException("the pool was terminated"));
                return;
            }
            runner = Thread.currentThread();
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                runner = null;
                slot.task = null;
                Thread.interrupted(); // a cancel(true) that arrived late must not leak into the next task
            }
        }
    }

    private <R> Result<R> submitTask(Callable<? extends R> body) {
        Task<R> t = new Task<>(body);
        t.result.onCancel(mayInterrupt -> {
            Thread r = t.runner;
            if (mayInterrupt && r != null) {
                r.interrupt();
            }
        });
        try {
            executor.execute(t);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the pool is closed and accepts no new tasks; create a new pool", e);
        }
        return t.result;
    }

    @Override
    protected PoolBackend backend() {
        return backend;
    }

    @Override
    public int size() {
        return threads;
    }

    @Override
    public void close() {
        executor.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(1, TimeUnit.DAYS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void terminate() {
        executor.shutdown();
        terminated = true;
        for (RunningSlot r : running) {
            Task<?> t = r.task;
            if (t != null) {
                t.result.completeExceptionally(new CancellationException("the pool was terminated"));
            }
        }
        for (Runnable queued : executor.shutdownNow()) {
            ((Task<?>) queued).result.completeExceptionally(new CancellationException("the pool was terminated"));
        }
    }

    @Override
    public void join() throws InterruptedException {
        checkStopped();
        executor.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        checkStopped();
        return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void checkStopped() {
        if (!executor.isShutdown()) {
            throw new IllegalStateException("the pool is still running; call close() or terminate() before join()");
        }
    }
}
