package dev.multitask.pool;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A pool of workers that run tasks: Python's {@code multiprocessing.Pool} contract, implemented
 * by {@link ProcessPool} (worker JVMs), {@link dev.multitask.thread.ThreadPool} (threads) and,
 * in the cluster module, a pool of Hazelcast members. Code written against this interface runs
 * unchanged on each; only the constructor differs.
 *
 * <h2>Results and ordering</h2>
 * {@code map}, {@code mapAsync} and {@code imap} return results in input order;
 * {@code imapUnordered} in completion order. Items are sent in chunks ({@code chunksize});
 * a task sees one item at a time.
 *
 * <h2>Failures</h2>
 * A task that throws fails only its own result: {@link AsyncResult#get()} throws an
 * {@link java.util.concurrent.ExecutionException} whose cause is the task's exception (for a
 * process pool, the remote exception itself with its remote stack trace, or a
 * {@link dev.multitask.process.RemoteTaskException} standing for it). The synchronous methods
 * ({@code apply}, {@code map}, the iterators of {@code imap}) throw a
 * {@link TaskFailedException} with that same cause. A worker that dies or overruns its
 * timeout fails its task with a {@link dev.multitask.process.WorkerDiedException} or
 * {@link dev.multitask.process.TaskTimeoutException}; the pool replaces it. No call waits
 * forever on a dead worker.
 *
 * <h2>Lifecycle</h2>
 * {@link #close()} stops accepting tasks, waits for queued work to finish and releases the
 * workers (so try-with-resources does the right thing); {@link #terminate()} stops at once,
 * cancelling what is pending; {@link #join()} waits for the workers to be gone. Submitting to
 * a closed or terminated pool throws {@link IllegalStateException}.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Callbacks registered on results run on the pool's own
 * threads and should return quickly, as in Python.
 */
public interface Pool extends AutoCloseable {

    /** {@code map} with a chunk size chosen as Python does (about four chunks per worker). */
    <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items);

    /**
     * Applies {@code fn} to every item in parallel and returns the results in input order.
     *
     * @throws TaskFailedException if a task failed (the first failure; the rest are cancelled)
     * @throws dev.multitask.ipc.SerializationException if {@code fn} or an item cannot be sent
     */
    <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

    <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items);

    <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize);

    /** {@code imap} with chunks of one item. */
    <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items);

    /**
     * A lazy {@code map}: items are read from {@code items} only as results are consumed,
     * with at most a few chunks per worker in flight, so an endless or huge input neither
     * blocks the caller nor fills memory. Results come in input order.
     */
    <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize);

    <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items);

    /** As {@link #imap(SerializableFunction, Iterable, int)}, results in completion order. */
    <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize);

    /**
     * Runs {@code task} on a worker and returns its result.
     *
     * @throws TaskFailedException if the task failed
     */
    <R> R apply(SerializableCallable<? extends R> task);

    /** Runs {@code task} on a worker; the result is both a {@code Future} and a {@code CompletionStage}. */
    <R> AsyncResult<R> applyAsync(SerializableCallable<? extends R> task);

    /**
     * As {@link #applyAsync(SerializableCallable)}, calling {@code callback} with the result or
     * {@code errorCallback} with the failure (Python's {@code callback} and {@code error_callback}).
     */
    default <R> AsyncResult<R> applyAsync(SerializableCallable<? extends R> task, Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback) {
        AsyncResult<R> r = applyAsync(task);
        r.whenComplete((v, e) -> {
            if (e == null) {
                if (callback != null) {
                    callback.accept(v);
                }
            } else if (errorCallback != null) {
                errorCallback.accept(e instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : e);
            }
        });
        return r;
    }

    /** The number of workers. */
    int size();

    /** Stops accepting tasks, waits for all queued work to finish, and releases the workers. */
    @Override
    void close();

    /** Stops at once: pending and running tasks fail with a {@link java.util.concurrent.CancellationException}. */
    void terminate();

    /**
     * Waits until every worker is gone, after {@link #close()} or {@link #terminate()}.
     *
     * @throws IllegalStateException if the pool is still running
     */
    void join() throws InterruptedException;

    /** As {@link #join()}, waiting at most {@code timeout}; true if every worker is gone. */
    boolean join(Duration timeout) throws InterruptedException;
}
