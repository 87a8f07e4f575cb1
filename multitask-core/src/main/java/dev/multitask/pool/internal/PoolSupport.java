package dev.multitask.pool.internal;

import dev.multitask.function.SerializableFunction;
import dev.multitask.pool.ResultIterator;
import dev.multitask.pool.TaskFailedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code map}, {@code mapAsync}, {@code imap} and {@code imapUnordered} over any {@link PoolBackend}. */
public final class PoolSupport {
    private PoolSupport() {
    }

    /** Python's default chunk size: about four chunks per worker. */
    static int autoChunk(int n, int workers) {
        if (n == 0) {
            return 1;
        }
        int per = workers * 4;
        return n / per + (n % per == 0 ? 0 : 1);
    }

    static void checkChunk(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1, was " + chunksize);
        }
    }

    @SuppressWarnings("unchecked")
    static SerializableFunction<Object, Object> erase(SerializableFunction<?, ?> fn) {
        return (SerializableFunction<Object, Object>) Objects.requireNonNull(fn, "fn");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> toList(Iterable<?> items) {
        Objects.requireNonNull(items, "items");
        if (items instanceof List<?> l && l instanceof RandomAccess) {
            return (List<Object>) l;
        }
        if (items instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        List<Object> l = new ArrayList<>();
        items.forEach(l::add);
        return l;
    }

    /** Results in input order; the aggregate fails with the first failing chunk and cancels the rest. */
    @SuppressWarnings("unchecked")
    public static <T, R> Result<List<R>> mapAsync(PoolBackend backend, SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize) {
        if (chunksize != 0) {
            checkChunk(chunksize);
        }
        List<Object> all = toList(items);
        int n = all.size();
        int cs = chunksize > 0 ? chunksize : autoChunk(n, backend.parallelism());
        PoolBackend.ChunkRunner runner = backend.chunkRunner(erase(fn));
        Result<List<R>> aggregate = new Result<>();
        if (n == 0) {
            aggregate.complete(new ArrayList<>());
            return aggregate;
        }
        Object[] out = new Object[n];
        int chunks = (n + cs - 1) / cs;
        AtomicInteger remaining = new AtomicInteger(chunks);
        List<Result<List<Object>>> parts = new ArrayList<>(chunks);
        aggregate.onCancel(m -> cancelAll(parts, m));
        for (int c = 0; c < chunks; c++) {
            int from = c * cs;
            int to = Math.min(n, from + cs);
            Result<List<Object>> part;
            try {
                part = runner.submit(all.subList(from, to));
            } catch (RuntimeException e) {
                cancelAll(parts, false);
                aggregate.cancel(false);
                throw e;
            }
            synchronized (parts) {
                parts.add(part);
            }
            part.whenComplete((list, err) -> {
                if (err != null) {
                    if (aggregate.completeExceptionally(unwrap(err))) {
                        cancelAll(parts, false);
                    }
                    return;
                }
                if (list.size() != to - from) {
                    aggregate.completeExceptionally(new IllegalStateException(
                            "a chunk of " + (to - from) + " items came back with " + list.size() + " results"));
                    return;
                }
                for (int i = 0; i < list.size(); i++) {
                    out[from + i] = list.get(i);
                }
                if (remaining.decrementAndGet() == 0) {
                    aggregate.complete((List<R>) Arrays.asList(out));
                }
            });
        }
        return aggregate;
    }

    private static void cancelAll(List<Result<List<Object>>> parts, boolean mayInterrupt) {
        List<Result<List<Object>>> copy;
        synchronized (parts) {
            copy = new ArrayList<>(parts);
        }
        for (Result<List<Object>> p : copy) {
            p.cancel(mayInterrupt);
        }
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    public static <T, R> List<R> map(PoolBackend backend, SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize) {
        Result<List<R>> r = mapAsync(backend, fn, items, chunksize);
        try {
            return r.get();
        } catch (InterruptedException e) {
            r.cancel(true);
            Thread.currentThread().interrupt();
            throw new TaskFailedException(e);
        } catch (ExecutionException e) {
            throw new TaskFailedException(e.getCause());
        }
    }

    public static <T, R> ResultIterator<R> imap(PoolBackend backend, SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize, boolean ordered) {
        checkChunk(chunksize);
        return new LazyResults<>(backend.chunkRunner(erase(fn)), Objects.requireNonNull(items, "items").iterator(),
                chunksize, Math.max(2, 2 * backend.parallelism()), ordered);
    }

    /**
     * Reads the input only as results are consumed: at most {@code maxInFlight} chunks are
     * submitted and not yet consumed at any time.
     */
    private static final class LazyResults<R> implements ResultIterator<R> {
        private final PoolBackend.ChunkRunner runner;
        private final Iterator<?> input;
        private final int chunksize;
        private final int maxInFlight;
        private final boolean ordered;
        private final ArrayDeque<Result<List<Object>>> inFlight = new ArrayDeque<>();
        private final LinkedBlockingQueue<Result<List<Object>>> completed = new LinkedBlockingQueue<>();
        private int outstanding;
        private Iterator<Object> current = java.util.Collections.emptyIterator();
        private boolean closed;

        LazyResults(PoolBackend.ChunkRunner runner, Iterator<?> input, int chunksize, int maxInFlight, boolean ordered) {
            this.runner = runner;
            this.input = input;
            this.chunksize = chunksize;
            this.maxInFlight = maxInFlight;
            this.ordered = ordered;
        }

        private void fill() {
            while (!closed && outstanding < maxInFlight && input.hasNext()) {
                List<Object> chunk = new ArrayList<>(chunksize);
                while (chunk.size() < chunksize && input.hasNext()) {
                    chunk.add(input.next());
                }
                Result<List<Object>> part = runner.submit(chunk);
                outstanding++;
                inFlight.add(part);
                if (!ordered) {
                    part.whenComplete((v, e) -> completed.add(part));
                }
            }
        }

        @Override
        public boolean hasNext() {
            if (current.hasNext()) {
                return true;
            }
            fill();
            return outstanding > 0;
        }

        @Override
        public R next() {
            try {
                return next(null);
            } catch (TimeoutException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public R next(Duration timeout) throws TimeoutException {
            if (current.hasNext()) {
                return (R) current.next();
            }
            if (!hasNext()) {
                throw new NoSuchElementException("no more results");
            }
            Result<List<Object>> part;
            try {
                if (ordered) {
                    part = inFlight.peek();
                    try {
                        if (timeout == null) {
                            part.get();
                        } else {
                            part.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                        }
                    } catch (ExecutionException | CancellationException e) {
                        // reported below, in order
                    }
                    inFlight.poll();
                } else {
                    part = timeout == null ? completed.take() : completed.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                    if (part == null) {
                        throw new TimeoutException("no result within " + timeout);
                    }
                    inFlight.remove(part);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskFailedException(e);
            }
            outstanding--;
            fill();
            if (part.isCancelled()) {
                throw new TaskFailedException(new CancellationException("the chunk was cancelled"));
            }
            if (part.isCompletedExceptionally()) {
                throw new TaskFailedException(unwrap(part.exceptionNow()));
            }
            current = part.join().iterator();
            if (!current.hasNext()) {
                return next(timeout);
            }
            return (R) current.next();
        }

        @Override
        public void close() {
            closed = true;
            for (Result<List<Object>> p : inFlight) {
                p.cancel(false);
            }
            inFlight.clear();
            outstanding = 0;
        }
    }
}
