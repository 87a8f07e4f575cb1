package dev.multitask.async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;

/**
 * A barrier for a fixed number of tasks: asyncio's {@code Barrier}. Each
 * {@link #await()} waits until {@code parties} tasks have arrived, then all go on; the barrier
 * is then ready for the next round. If a waiting task is cancelled or times out, or
 * {@link #abort()} is called, the barrier is broken: waiting and later tasks get a
 * {@link BrokenBarrierException} until {@link #reset()}.
 */
public final class AsyncBarrier {
    private final int parties;
    private Round current = new Round();

    /** One round of the barrier; its waiters leave when it passes or breaks. */
    private static final class Round {
        int arrived;
        volatile boolean passed;
        volatile boolean broken;
        final List<Task<?>> waiting = new ArrayList<>();
    }

    public AsyncBarrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("a barrier needs at least one party, got " + parties);
        }
        this.parties = parties;
    }

    /**
     * Waits for the others; returns this task's arrival index, 0 for the first to arrive
     * through {@code parties - 1} for the last.
     */
    public int await() throws BrokenBarrierException {
        Task<?> me = Async.requireCurrent("AsyncBarrier.await()");
        me.checkCancelled();
        Round r;
        int index;
        synchronized (this) {
            r = current;
            if (r.broken) {
                throw new BrokenBarrierException();
            }
            index = r.arrived++;
            if (r.arrived == parties) {
                r.passed = true;
                current = new Round();
            } else {
                r.waiting.add(me);
            }
        }
        if (r.passed && index == parties - 1) {
            for (Task<?> t : r.waiting) {
                t.wake();
            }
            return index;
        }
        try {
            me.parkUntil(() -> r.passed || r.broken, Long.MAX_VALUE);
        } catch (RuntimeException e) {
            breakRound(r);
            throw e;
        }
        if (!r.passed) {
            throw new BrokenBarrierException();
        }
        return index;
    }

    /** {@link #await()} that breaks the barrier if the others do not arrive within {@code timeout}. */
    public int await(Duration timeout) throws BrokenBarrierException {
        try (Timeout t = Async.timeout(timeout)) {
            return await();
        }
    }

    private void breakRound(Round r) {
        List<Task<?>> w;
        synchronized (this) {
            if (r.passed || r.broken) {
                return;
            }
            r.broken = true;
            w = new ArrayList<>(r.waiting);
        }
        for (Task<?> t : w) {
            t.wake();
        }
    }

    /** Breaks the barrier: waiting and later tasks get a {@link BrokenBarrierException}. */
    public void abort() {
        Round r;
        synchronized (this) {
            r = current;
        }
        breakRound(r);
    }

    /** Makes the barrier usable again; tasks waiting in the current round get a {@link BrokenBarrierException}. */
    public void reset() {
        Round r;
        synchronized (this) {
            r = current;
            current = new Round();
        }
        breakRound(r);
    }

    public int parties() {
        return parties;
    }

    /** Tasks waiting in the current round. */
    public synchronized int waiting() {
        return current.arrived;
    }

    public synchronized boolean isBroken() {
        return current.broken;
    }
}
