package dev.multitask.pool.internal;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import dev.multitask.function.SerializableRunnable;
import dev.multitask.ipc.SerializationException;
import java.io.Serializable;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.multitask.pool.AsyncResult;

/**
 * The part of an {@link ExecutorService} over a {@link PoolBackend} that does not depend on
 * where tasks run (worker JVMs, cluster members): serializable submission, {@code map},
 * {@code invokeAll}, {@code invokeAny}. Subclasses give the backend and the lifecycle.
 */
public abstract class BackedExecutor implements ExecutorService {
    protected abstract PoolBackend backend();

    /**
     * {@code engine} as an executor must offer it: a task refused because the engine is closed
     * ({@link IllegalStateException}) becomes a {@link java.util.concurrent.RejectedExecutionException}.
     */
    protected static PoolBackend rejectingWhenClosed(PoolBackend engine) {
        return new PoolBackend() {
            @Override
            public <R> Result<R> submitCall(SerializableCallable<? extends R> task) {
                try {
                    return engine.submitCall(task);
                } catch (IllegalStateException e) {
                    throw new java.util.concurrent.RejectedExecutionException(e.getMessage(), e);
                }
            }

            @Override
            public ChunkRunner chunkRunner(SerializableFunction<Object, Object> fn) {
                ChunkRunner r = engine.chunkRunner(fn);
                return items -> {
                    try {
                        return r.submit(items);
                    } catch (IllegalStateException e) {
                        throw new java.util.concurrent.RejectedExecutionException(e.getMessage(), e);
                    }
                };
            }

            @Override
            public int parallelism() {
                return engine.parallelism();
            }
        };
    }

    /** Where tasks run, for error messages ("a worker process", "a cluster member"). */
    protected abstract String where();

    /** The engine whose lifecycle is this executor's. */
    protected abstract Engine engine();

    /** Starts an orderly shutdown: queued tasks still run; new ones are rejected. Does not wait. */
    @Override
    public void shutdown() {
        Engine e = engine();
        e.beginClose();
        Thread.ofPlatform().daemon().name("multitask-executor-shutdown").start(e::close);
    }

    /**
     * Stops at once: queued and running tasks fail with a
     * {@link java.util.concurrent.CancellationException}; the returned list is always empty,
     * since the tasks exist here only in serialized form.
     */
    @Override
    public List<Runnable> shutdownNow() {
        engine().terminate();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return engine().isShutdown();
    }

    @Override
    public boolean isTerminated() {
        try {
            return engine().isShutdown() && engine().awaitTerminated(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return engine().awaitTerminated(unit.toNanos(timeout));
    }

    /** Finishes the queued tasks, then releases the workers; waits for both. */
    @Override
    public void close() {
        Engine e = engine();
        e.close();
        boolean interrupted = false;
        while (true) {
            try {
                e.awaitTerminated(Long.MAX_VALUE);
                break;
            } catch (InterruptedException ie) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Submits a serializable task; the returned future is also an {@link AsyncResult}. */
    public <T> AsyncResult<T> submit(SerializableCallable<T> task) {
        return backend().submitCall(Objects.requireNonNull(task, "task"));
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
    private <T> SerializableCallable<T> serializable(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof SerializableCallable<T> s) {
            return s;
        }
        if (task instanceof Serializable) {
            return task::call;
        }
        throw notSerializable(task);
    }

    private SerializableRunnable serializable(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof SerializableRunnable s) {
            return s;
        }
        if (task instanceof Serializable) {
            return task::run;
        }
        throw notSerializable(task);
    }

    private SerializationException notSerializable(Object task) {
        String n = task.getClass().getName();
        return new SerializationException("the task (" + n + ") is not Serializable, so it cannot run in " + where() + "; pass a lambda where a SerializableCallable or SerializableRunnable is expected,"
                + " or make the class implement java.io.Serializable", n, null);
    }

    /** Python's {@code Executor.map}: {@code fn} over every item in parallel, results in input order. */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return PoolSupport.map(backend(), fn, items, 0);
    }

    /** As {@link #map(SerializableFunction, Iterable)}, sending {@code chunksize} items per message. */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1, was " + chunksize);
        }
        return PoolSupport.map(backend(), fn, items, chunksize);
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

}
