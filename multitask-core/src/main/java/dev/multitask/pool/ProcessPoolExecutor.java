package dev.multitask.pool;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import dev.multitask.function.SerializableRunnable;
import dev.multitask.ipc.SerializationException;
import dev.multitask.pool.internal.PoolBackend;
import dev.multitask.pool.internal.PoolSupport;
import dev.multitask.pool.internal.ProcessEngine;
import dev.multitask.pool.internal.Result;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link ExecutorService} whose tasks run in worker JVMs: Python's
 * {@code concurrent.futures.ProcessPoolExecutor}.
 *
 * <pre>{@code
 * try (var ex = new ProcessPoolExecutor(4)) {
 *     Future<Integer> f = ex.submit(() -> work(3));
 *     List<Integer> all = ex.map(x -> work(x), List.of(1, 2, 3));
 * }
 * }</pre>
 *
 * <p>Tasks must be serializable: lambdas written where a {@link SerializableCallable} or
 * {@link SerializableRunnable} is expected are. A plain {@code Callable} that is not
 * serializable is refused at once with a {@link SerializationException}. Failures follow the
 * {@link Pool} contract: {@code Future.get()} throws an {@link ExecutionException} whose cause
 * is the remote exception (with its remote stack trace), a
 * {@link dev.multitask.process.WorkerDiedException}, or a
 * {@link dev.multitask.process.TaskTimeoutException}. {@code cancel(true)} on a running task
 * kills its worker. After {@link #shutdown()} new tasks are rejected with
 * {@link RejectedExecutionException}.
 *
 * <p>Thread-safe.
 */
public final class ProcessPoolExecutor implements ExecutorService {
    private final ProcessEngine engine;
    private final PoolBackend backend;

    /** One worker per available processor. */
    public ProcessPoolExecutor() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public ProcessPoolExecutor(int workers) {
        this(workers, null);
    }

    /** {@code workers} workers, each task stopped (its worker killed) after {@code taskTimeout}; null for none. */
    public ProcessPoolExecutor(int workers, Duration taskTimeout) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (taskTimeout != null && (taskTimeout.isNegative() || taskTimeout.isZero())) {
            throw new IllegalArgumentException("taskTimeout must be a positive duration, was " + taskTimeout);
        }
        engine = new ProcessEngine(new ProcessEngine.Config(workers, 0, null, taskTimeout, List.of(), null));
        backend = new PoolBackend() {
            @Override
            public <R> Result<R> submitCall(SerializableCallable<? extends R> task) {
                try {
                    return engine.submitCall(task);
                } catch (IllegalStateException e) {
                    throw new RejectedExecutionException(e.getMessage(), e);
                }
            }

            @Override
            public ChunkRunner chunkRunner(SerializableFunction<Object, Object> fn) {
                PoolBackend.ChunkRunner r = engine.chunkRunner(fn);
                return items -> {
                    try {
                        return r.submit(items);
                    } catch (IllegalStateException e) {
                        throw new RejectedExecutionException(e.getMessage(), e);
                    }
                };
            }

            @Override
            public int parallelism() {
                return engine.size();
            }
        };
    }

    /** Submits a serializable task; the returned future is also an {@link AsyncResult}. */
    public <T> AsyncResult<T> submit(SerializableCallable<T> task) {
        return backend.submitCall(Objects.requireNonNull(task, "task"));
    }

    @Override
    public <T> AsyncResult<T> submit(Callable<T> task) {
        return submit(serializable(task));
    }

    /** Submits a serializable action; its future yields null. */
    public AsyncResult<?> submit(SerializableRunnable task) {
        Objects.requireNonNull(task, "task");
        return submit((SerializableCallable<Object>) () -> {
            task.run();
            return null;
        });
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submit(serializable(task));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        SerializableRunnable r = serializable(task);
        if (result != null && !(result instanceof Serializable)) {
            throw new SerializationException("the result value of class " + result.getClass().getName()
                    + " is not Serializable", result.getClass().getName(), null);
        }
        return submit((SerializableCallable<T>) () -> {
            r.run();
            return result;
        });
    }

    @Override
    public void execute(Runnable command) {
        submit(serializable(command));
    }

    @SuppressWarnings("unchecked")
    private static <T> SerializableCallable<T> serializable(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof SerializableCallable<T> s) {
            return s;
        }
        if (task instanceof Serializable) {
            return task::call;
        }
        throw notSerializable(task);
    }

    private static SerializableRunnable serializable(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof SerializableRunnable s) {
            return s;
        }
        if (task instanceof Serializable) {
            return task::run;
        }
        throw notSerializable(task);
    }

    private static SerializationException notSerializable(Object task) {
        String n = task.getClass().getName();
        return new SerializationException("the task (" + n + ") is not Serializable, so it cannot run in a worker"
                + " process; pass a lambda where a SerializableCallable or SerializableRunnable is expected,"
                + " or make the class implement java.io.Serializable", n, null);
    }

    /** Python's {@code Executor.map}: {@code fn} over every item in parallel, results in input order. */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return PoolSupport.map(backend, fn, items, 0);
    }

    /** As {@link #map(SerializableFunction, Iterable)}, sending {@code chunksize} items per message. */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1, was " + chunksize);
        }
        return PoolSupport.map(backend, fn, items, chunksize);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> fs = submitAll(tasks);
        try {
            for (Future<T> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException | CancellationException e) {
                    // reported through the future
                }
            }
        } catch (InterruptedException e) {
            fs.forEach(f -> f.cancel(true));
            throw e;
        }
        return fs;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> fs = submitAll(tasks);
        try {
            for (Future<T> f : fs) {
                long left = deadline - System.nanoTime();
                try {
                    f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // reported through the future
                } catch (TimeoutException e) {
                    break;
                }
            }
        } finally {
            for (Future<T> f : fs) {
                if (!f.isDone()) {
                    f.cancel(true);
                }
            }
        }
        return fs;
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        List<Future<T>> fs = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                fs.add(submit(t));
            }
        } catch (RuntimeException e) {
            fs.forEach(f -> f.cancel(true));
            throw e;
        }
        return fs;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        LinkedBlockingQueue<Result<T>> done = new LinkedBlockingQueue<>();
        List<Result<T>> fs = new ArrayList<>();
        try {
            for (Callable<T> t : tasks) {
                Result<T> r = (Result<T>) submit(t);
                fs.add(r);
                r.whenComplete((v, e) -> done.add(r));
            }
            ExecutionException last = null;
            for (int i = 0; i < fs.size(); i++) {
                long left = deadline - System.nanoTime();
                Result<T> r = done.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new TimeoutException("no task of invokeAny completed within the timeout");
                }
                try {
                    return r.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            for (Result<T> r : fs) {
                r.cancel(true);
            }
        }
    }

    /** Starts an orderly shutdown: queued tasks still run; new ones are rejected. Does not wait. */
    @Override
    public void shutdown() {
        engine.beginClose();
        Thread t = new Thread(engine::close, "multitask-executor-shutdown");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Kills the workers at once. Queued and running tasks fail with a
     * {@link CancellationException}; the returned list is always empty, since the tasks
     * exist here only in serialized form.
     */
    @Override
    public List<Runnable> shutdownNow() {
        engine.terminate();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return engine.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        try {
            return engine.isShutdown() && engine.awaitTerminated(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return engine.awaitTerminated(unit.toNanos(timeout));
    }

    /** Finishes the queued tasks, then releases the workers; waits for both. */
    @Override
    public void close() {
        engine.close();
        boolean interrupted = false;
        while (true) {
            try {
                engine.awaitTerminated(Long.MAX_VALUE);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
