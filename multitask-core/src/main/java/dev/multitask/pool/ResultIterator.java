package dev.multitask.pool;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;

/**
 * The lazy results of {@code imap}/{@code imapUnordered}. {@link #next()} waits for the next
 * result and throws {@link TaskFailedException} when that item's task failed (the iteration
 * may go on past it). {@link #close()} cancels what is still in flight and stops reading the
 * input; a try-with-resources around a loop that may break early avoids leaving work queued.
 * Not thread-safe: one consumer at a time.
 */
public interface ResultIterator<R> extends Iterator<R>, AutoCloseable {

    /** As {@link #next()}, waiting at most {@code timeout} for the result. */
    R next(Duration timeout) throws TimeoutException;

    @Override
    void close();
}
