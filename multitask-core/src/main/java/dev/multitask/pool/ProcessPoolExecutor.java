package dev.multitask.pool;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import dev.multitask.function.SerializableRunnable;
import dev.multitask.ipc.SerializationException;
import dev.multitask.pool.internal.BackedExecutor;
import dev.multitask.pool.internal.Engine;
import dev.multitask.pool.internal.PoolBackend;
import dev.multitask.pool.internal.ProcessEngine;
import dev.multitask.pool.internal.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

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
public final class ProcessPoolExecutor extends BackedExecutor {
    private final ProcessEngine engine;
    private final PoolBackend backend;

    @Override
    protected PoolBackend backend() {
        return backend;
    }

    @Override
    protected String where() {
        return "a worker process";
    }

    @Override
    protected Engine engine() {
        return engine;
    }

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
        PoolBackend plain = new PoolBackend() {
            @Override
            public <R> Result<R> submitCall(SerializableCallable<? extends R> task) {
                return engine.submitCall(task);
            }

            @Override
            public ChunkRunner chunkRunner(SerializableFunction<Object, Object> fn) {
                return engine.chunkRunner(fn);
            }

            @Override
            public int parallelism() {
                return engine.size();
            }
        };
        backend = rejectingWhenClosed(plain);
    }
}
