package dev.multitask.sync;

import static dev.multitask.sync.SharedBarrierLayout.*;

import dev.multitask.shm.SharedMemory;
import dev.multitask.shm.SharedObject;
import dev.multitask.shm.SharedMemoryLayout.Kind;
import dev.multitask.shm.internal.Futex;
import dev.multitask.shm.internal.RobustMutex;
import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A barrier for a fixed number of parties in any processes: Python's
 * {@code multiprocessing.Barrier}, with {@link java.util.concurrent.CyclicBarrier}'s exceptions.
 * Each {@code await} returns the party's arrival index (parties - 1 for the first to arrive,
 * 0 for the last, as both Python and Java do); the barrier then resets for the next round.
 *
 * <p>Its format is {@code SharedBarrierLayout}.
 *
 * <p><b>Breaking</b>: a wait that times out breaks the barrier (the waiter gets a
 * {@link TimeoutException}, the others a {@link BrokenBarrierException}), as does
 * {@link #abort()}; {@link #reset()} breaks the waiting round and starts a fresh one.
 * <b>When a process dies</b>: a party that dies while waiting still counts as arrived; one
 * that dies before arriving is never counted, so give {@code await} a timeout where a party
 * may die. Thread-safe; pass it to another process by capturing it.
 */
public final class SharedBarrier extends SharedObject {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final transient MemorySegment data;
    private final transient RobustMutex mutex;

    private SharedBarrier(SharedMemory memory) {
        super(memory);
        this.data = memory.segment();
        this.mutex = new RobustMutex(memory);
    }

    public static SharedBarrier create(int parties) {
        return create(SharedMemory.uniqueName(), parties);
    }

    public static SharedBarrier create(String name, int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("a barrier needs at least one party, was " + parties);
        }
        SharedMemory m = SharedMemory.createTyped(name, Kind.BARRIER, SIZE);
        m.segment().set(ValueLayout.JAVA_INT, PARTIES, parties);
        m.segment().set(ValueLayout.JAVA_INT, BROKEN_GEN, -1);
        return new SharedBarrier(m);
    }

    public static SharedBarrier attach(String name) {
        return new SharedBarrier(SharedMemory.attachTyped(name, Kind.BARRIER));
    }

    private void lock() {
        mutex.acquireUninterruptibly();
    }

    private int get(long at) {
        return (int) INT.getVolatile(data, at);
    }

    private void set(long at, int v) {
        INT.setVolatile(data, at, v);
    }

    /** Bumps the generation and wakes every waiter; lock held. */
    private void advance() {
        set(GENERATION, get(GENERATION) + 1);
        set(COUNT, 0);
        if (get(WAITERS) > 0) {
            Futex.wake(data.asSlice(GENERATION, 4), Integer.MAX_VALUE);
        }
    }

    /** Waits for all parties; returns this party's arrival index. */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return await(Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** As {@link #await()}, breaking the barrier if the others do not come within {@code timeout}. */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return await(System.nanoTime() + Math.max(0, timeout.toNanos()));
    }

    private int await(long deadline) throws InterruptedException, BrokenBarrierException, TimeoutException {
        int gen;
        int index;
        lock();
        try {
            if (get(BROKEN) != 0) {
                throw new BrokenBarrierException();
            }
            gen = get(GENERATION);
            int parties = get(PARTIES);
            int arrived = get(COUNT) + 1;
            index = parties - arrived;
            if (arrived == parties) {
                advance();
                return 0;
            }
            set(COUNT, arrived);
            set(WAITERS, get(WAITERS) + 1);
        } finally {
            mutex.release();
        }
        try {
            while (get(GENERATION) == gen) {
                if (get(BROKEN) != 0) {
                    throw new BrokenBarrierException();
                }
                if (Thread.interrupted()) {
                    breakBarrier();
                    throw new InterruptedException();
                }
                if (!Futex.awaitUntil(data.asSlice(GENERATION, 4), gen, deadline)) {
                    breakBarrier();
                    throw new TimeoutException("not every party of barrier '" + name() + "' arrived in time; it is now broken");
                }
            }
            if (get(BROKEN_GEN) == gen) {
                throw new BrokenBarrierException();
            }
            return index;
        } finally {
            lock();
            set(WAITERS, Math.max(0, get(WAITERS) - 1));
            mutex.release();
        }
    }

    /** Ends the current round as broken; lock held. */
    private void breakRound() {
        set(BROKEN_GEN, get(GENERATION));
        advance();
    }

    private void breakBarrier() {
        lock();
        try {
            set(BROKEN, 1);
            breakRound();
        } finally {
            mutex.release();
        }
    }

    /** Breaks the barrier: waiting and future parties get a {@link BrokenBarrierException} until {@link #reset()}. */
    public void abort() {
        breakBarrier();
    }

    /** Breaks the current round (its waiters get {@link BrokenBarrierException}) and starts a fresh one. */
    public void reset() {
        lock();
        try {
            if (get(COUNT) > 0) {
                breakRound();
            }
            set(BROKEN, 0);
            set(COUNT, 0);
        } finally {
            mutex.release();
        }
    }

    public boolean isBroken() {
        return get(BROKEN) != 0;
    }

    public int parties() {
        return get(PARTIES);
    }

    /** How many parties wait now. */
    public int numberWaiting() {
        return get(COUNT);
    }




}
