package dev.multitask.sync;

import dev.multitask.shm.SharedMemory;
import dev.multitask.shm.SharedMemoryLayout.Kind;
import dev.multitask.shm.internal.RobustMutex;

/**
 * A re-entrant {@link SharedLock}: Python's {@code multiprocessing.RLock}. The thread that holds
 * it may acquire it again; it is released when {@code unlock()} has been called as many times.
 * Re-entry is per thread of a process. All of {@link SharedLock}'s guarantees hold, including
 * the owner-died signal when a process dies holding it.
 */
public final class SharedRLock extends SharedLock {
    private static final long serialVersionUID = 1L;

    private SharedRLock(SharedMemory memory) {
        super(memory);
    }

    public static SharedRLock create(String name) {
        return new SharedRLock(SharedMemory.createTyped(name, Kind.LOCK, RobustMutex.SIZE));
    }

    public static SharedRLock create() {
        return create(SharedMemory.uniqueName());
    }

    public static SharedRLock attach(String name) {
        return new SharedRLock(SharedMemory.attachTyped(name, Kind.LOCK));
    }

    @Override
    boolean reentered() {
        if (mutex.heldByCurrentThread()) {
            mutex.reenter();
            return true;
        }
        return false;
    }

    /** How many times the current thread holds it (0 if it does not). */
    public int holdCount() {
        return mutex.heldByCurrentThread() ? mutex.holds() : 0;
    }
}
