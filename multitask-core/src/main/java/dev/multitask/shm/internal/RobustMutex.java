package dev.multitask.shm.internal;

import dev.multitask.shm.SharedMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A mutex in shared memory that survives the death of its owner: the core of
 * {@code SharedLock}, {@code SharedRLock} and {@code SharedQueue}. It occupies the first
 * {@link #SIZE} bytes of its segment's data.
 *
 * <h2>Layout</h2>
 * {@link RobustMutexLayout}: one 32-bit word at the start of the segment's data.
 *
 * <h2>Protocol</h2>
 * Acquire: CAS the word from 0 to this pid (the uncontended path: one CAS, no system call).
 * Otherwise spin briefly, then set WAITERS and sleep on the futex for at most
 * {@link Futex#CHECK_NANOS}, then look again. After {@code close()} every access fails with the
 * FFM API's {@link IllegalStateException}, never touching unmapped memory.
 * Release: read the word, store 0 with release semantics; if WAITERS was set, wake one sleeper.
 * No atomic swap is needed: while the lock is held only a waiter writes the word, setting
 * WAITERS with a CAS from the value it read; one that does so between the holder's read and
 * store finds the word 0 when it calls futex wait (which returns at once) and takes the lock
 * itself. Threads of one process
 * share a pid, so which thread holds the lock is kept in this process's {@link Local} state.
 *
 * <h2>Owner death</h2>
 * A waiter that finds the word owned by a process that no longer exists takes the lock over
 * with a CAS (which fails if the word changed meanwhile) and reports that the previous owner
 * died, like a robust pthread mutex reporting EOWNERDEAD: the shared state it protected may be
 * half-updated. A dead owner is noticed within {@link Futex#CHECK_NANOS}. The owner is known only by
 * its pid, which is part of the same atomic word as the lock state; a pid reused by a new
 * process while the lock is held by its dead previous user would keep the lock held (Linux
 * recycles pids slowly, through a space of millions). An earlier design also compared start
 * times, kept beside the word; since that field cannot change together with the word, a
 * waiter could read a new owner's pid with the previous owner's start time and take a lock
 * that was held.
 *
 * <h2>Memory ordering</h2>
 * The CAS that acquires is a volatile access and the store that releases a release store, so
 * everything written under the lock in one process is visible to the next owner in any
 * process (release/acquire, as with {@code java.util.concurrent} locks). Checked by lincheck's
 * model checking ({@code SharedLockLincheckTest}).
 */
public final class RobustMutex {
    static final int WAITERS = RobustMutexLayout.WAITERS;
    static final int PID_MASK = RobustMutexLayout.PID_MASK;
    private static final int SPINS = 200;
    public static final long SIZE = RobustMutexLayout.SIZE;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int PID = (int) ProcessHandle.current().pid();
    private static final ConcurrentHashMap<String, Local> LOCALS = new ConcurrentHashMap<>();

    /**
     * This process's view of one lock: which of its threads holds it, how many times, and
     * whether that acquisition took over from a dead process. Plain fields, as
     * {@code ReentrantLock}'s owner: written by the holder while it holds the lock, read by
     * the holder; the lock's own acquire and release order them for the next holder.
     */
    static final class Local {
        Thread owner;
        int holds;
        boolean ownerDied;
    }

    private final SharedMemory memory;
    private final MemorySegment word;
    private final Local local;

    public RobustMutex(SharedMemory memory) {
        this.memory = memory;
        this.word = memory.segment();
        this.local = LOCALS.computeIfAbsent(memory.name(), n -> new Local());
    }

    public SharedMemory memory() {
        return memory;
    }

    public boolean heldByCurrentThread() {
        return local.owner == Thread.currentThread();
    }

    /** Whether the current holder's acquisition took over from a dead process. */
    public boolean ownerDied() {
        return local.ownerDied;
    }

    public int holds() {
        return local.holds;
    }

    /** Re-entry by the owning thread (for the re-entrant lock). */
    public void reenter() {
        local.holds++;
    }

    /** Acquisition outcome. */
    public enum Acquired { NO, YES, YES_OWNER_DIED }

    /**
     * Acquires for the current thread, waiting at most {@code nanos} (Long.MAX_VALUE: forever).
     *
     * @throws InterruptedException if interrupted while waiting (noticed within {@link Futex#CHECK_NANOS})
     */
    /** Whether the current holder's acquisition took over from a dead process (for state repair). */
    public boolean tookOverFromDeadOwner() {
        return local.ownerDied;
    }

    public Acquired acquire(long nanos, boolean interruptible) throws InterruptedException {
        MemorySegment w = word;
        if (INT.compareAndSet(w, 0L, 0, PID)) {
            taken(false);
            return Acquired.YES;
        }
        for (int spin = 0; spin < SPINS; spin++) { // a holder usually lets go within microseconds
            Thread.onSpinWait();
            if ((int) INT.getVolatile(w, 0L) == 0 && INT.compareAndSet(w, 0L, 0, PID)) {
                taken(false);
                return Acquired.YES;
            }
        }
        long deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
        while (true) {
            int cur = (int) INT.getVolatile(w, 0L);
            if (cur == 0) {
                if (INT.compareAndSet(w, 0L, 0, PID | WAITERS)) {
                    taken(false);
                    return Acquired.YES;
                }
                continue;
            }
            int owner = cur & PID_MASK;
            if (owner != PID && ownerDead(owner)) {
                if (INT.compareAndSet(w, 0L, cur, PID | WAITERS)) {
                    taken(true);
                    return Acquired.YES_OWNER_DIED;
                }
                continue;
            }
            if ((cur & WAITERS) == 0 && !INT.compareAndSet(w, 0L, cur, cur | WAITERS)) {
                continue;
            }
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (!Futex.awaitUntil(w, cur | WAITERS, deadline)) {
                return Acquired.NO;
            }
        }
    }

    /** Acquires, waiting as long as needed, ignoring interrupts. */
    public Acquired acquireUninterruptibly() {
        try {
            return acquire(Long.MAX_VALUE, false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible acquire was interrupted", e);
        }
    }

    /** One attempt, no waiting (but a dead owner's lock is taken over). */
    public Acquired tryAcquire() {
        MemorySegment w = word;
        int cur = (int) INT.getVolatile(w, 0L);
        if (cur == 0 && INT.compareAndSet(w, 0L, 0, PID)) {
            taken(false);
            return Acquired.YES;
        }
        int owner = cur & PID_MASK;
        if (cur != 0 && owner != PID && ownerDead(owner) && INT.compareAndSet(w, 0L, cur, PID | (cur & WAITERS))) {
            taken(true);
            return Acquired.YES_OWNER_DIED;
        }
        return Acquired.NO;
    }

    private void taken(boolean ownerDied) {
        local.owner = Thread.currentThread();
        local.holds = 1;
        local.ownerDied = ownerDied;
    }

    private static boolean ownerDead(int pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    /** Releases one hold; the last one frees the lock and wakes a waiter. */
    public void release() {
        if (local.owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException("the current thread does not hold lock '" + memory.name() + "'");
        }
        if (--local.holds > 0) {
            return;
        }
        local.owner = null;
        MemorySegment w = word;
        // Only the holder writes the word, except a waiter setting WAITERS (a CAS from the value
        // read here). So a read, then a release store of 0, needs no atomic swap: a waiter that
        // set WAITERS between the two finds the word 0 when it calls futex wait (which returns
        // at once) and takes the lock; one that set it before is seen here and woken.
        int old = (int) INT.getVolatile(w, 0L);
        INT.setRelease(w, 0L, 0);
        if ((old & WAITERS) != 0) {
            Futex.wake(w, 1);
        }
    }

    /** Whether any thread of any process holds it now. */
    public boolean isLocked() {
        return (int) INT.getVolatile(word, 0L) != 0;
    }
}
