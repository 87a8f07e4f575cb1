package dev.multitask.pool.internal;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import java.util.List;

/**
 * What an implementation of the Pool contract provides; {@link PoolSupport} builds
 * {@code map}, {@code imap} and the rest on top, identically for every implementation.
 */
public interface PoolBackend {

    /** Submits one task; throws IllegalStateException if the pool no longer accepts tasks. */
    <R> Result<R> submitCall(SerializableCallable<? extends R> task);

    /** Prepares {@code fn} (e.g. serializes it once) for many chunks. */
    ChunkRunner chunkRunner(SerializableFunction<Object, Object> fn);

    /** The number of workers. */
    int parallelism();

    /** Runs a function over chunks of items. */
    interface ChunkRunner {
        Result<List<Object>> submit(List<Object> items);
    }
}
