package dev.multitask.pool.internal;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import dev.multitask.pool.AsyncResult;
import dev.multitask.pool.Pool;
import dev.multitask.pool.ResultIterator;
import java.util.List;

/**
 * The part of the {@link Pool} contract that is the same for every implementation:
 * {@code map}, {@code imap} and {@code apply} in all their forms, built by {@link PoolSupport}
 * on the implementation's {@link PoolBackend}. Implementations add their lifecycle.
 */
public abstract class BackedPool implements Pool {

    /** What this pool runs tasks on. */
    protected abstract PoolBackend backend();

    private static int checked(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1, was " + chunksize);
        }
        return chunksize;
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return PoolSupport.map(backend(), fn, items, 0);
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
        return PoolSupport.map(backend(), fn, items, checked(chunksize));
    }

    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return PoolSupport.mapAsync(backend(), fn, items, 0);
    }

    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize) {
        return PoolSupport.mapAsync(backend(), fn, items, checked(chunksize));
    }

    @Override
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return PoolSupport.imap(backend(), fn, items, 1, true);
    }

    @Override
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize) {
        return PoolSupport.imap(backend(), fn, items, chunksize, true);
    }

    @Override
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return PoolSupport.imap(backend(), fn, items, 1, false);
    }

    @Override
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize) {
        return PoolSupport.imap(backend(), fn, items, chunksize, false);
    }

    @Override
    public <R> R apply(SerializableCallable<? extends R> task) {
        Result<R> r = backend().submitCall(task);
        return r.result();
    }

    @Override
    public <R> AsyncResult<R> applyAsync(SerializableCallable<? extends R> task) {
        return backend().submitCall(task);
    }
}
