package dev.multitask.pool.internal;

import dev.multitask.pool.AsyncResult;
import dev.multitask.pool.TaskFailedException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The one implementation of {@link AsyncResult}: a {@link CompletableFuture} with a cancel hook. */
public class Result<T> extends CompletableFuture<T> implements AsyncResult<T> {

    /** Called once when the result is cancelled, with {@code mayInterruptIfRunning}. */
    public interface CancelHook {
        void cancelled(boolean mayInterruptIfRunning);
    }

    private volatile CancelHook onCancel;

    /**
     * Lets a waiting caller do the work that completes this result itself (read the answer
     * from the worker's socket) instead of sleeping until another thread does it.
     */
    public interface WaitHelper {
        /** Tries to complete the result before {@code deadline}; returns when it is done or cannot help. */
        void help(long deadline);
    }

    private volatile WaitHelper helper;

    public void helper(WaitHelper h) {
        this.helper = h;
    }

    private void helpUntil(long deadline) {
        WaitHelper h = helper;
        if (h != null && !isDone()) {
            h.help(deadline);
        }
    }

    public void onCancel(CancelHook hook) {
        this.onCancel = hook;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean done = super.cancel(mayInterruptIfRunning);
        CancelHook h = onCancel;
        if (done && h != null) {
            h.cancelled(mayInterruptIfRunning);
        }
        return done;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        helpUntil(Long.MAX_VALUE);
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = unit.toNanos(timeout);
        long start = System.nanoTime();
        helpUntil(nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : start + nanos);
        return super.get(Math.max(0, nanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
    }

    @Override
    public T result() {
        try {
            return get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException(e);
        } catch (ExecutionException e) {
            throw new TaskFailedException(e.getCause());
        } catch (CancellationException e) {
            throw new TaskFailedException(e);
        }
    }

    @Override
    public T result(Duration timeout) {
        try {
            return get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException(e);
        } catch (ExecutionException e) {
            throw new TaskFailedException(e.getCause());
        } catch (CancellationException | TimeoutException e) {
            throw new TaskFailedException(e);
        }
    }

    @Override
    public boolean successful() {
        if (!isDone()) {
            throw new IllegalStateException("the task has not finished yet; check ready() first");
        }
        return !isCompletedExceptionally();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
