package dev.multitask.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link Lock} behaviour every cross-process lock of multitask keeps, run against each
 * ({@code SharedLock} here, {@code ClusterLock} in multitask-hazelcast).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class LockContract {
    protected Lock lock;

    protected abstract Lock newLock();

    protected abstract void dispose(Lock l);

    @BeforeEach
    void create() {
        lock = newLock();
    }

    @AfterEach
    void release() {
        dispose(lock);
    }

    /** Runs {@code body} on another thread and returns its result (or throws what it threw). */
    static <T> T elsewhere(Callable<T> body) throws Exception {
        AtomicReference<T> out = new AtomicReference<>();
        AtomicReference<Exception> err = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                out.set(body.call());
            } catch (Exception e) {
                err.set(e);
            }
        });
        t.join();
        if (err.get() != null) {
            throw err.get();
        }
        return out.get();
    }

    @Test
    void aHeldLockKeepsOtherThreadsOut() throws Exception {
        lock.lock();
        try {
            assertFalse(LockContract.<Boolean>elsewhere(lock::tryLock));
            assertFalse(LockContract.<Boolean>elsewhere(() -> lock.tryLock(50, TimeUnit.MILLISECONDS)));
        } finally {
            lock.unlock();
        }
        assertTrue(LockContract.<Boolean>elsewhere(() -> {
            boolean ok = lock.tryLock(5, TimeUnit.SECONDS);
            lock.unlock();
            return ok;
        }));
    }

    @Test
    void onlyTheOwnerMayUnlock() throws Exception {
        lock.lock();
        try {
            assertThrows(IllegalMonitorStateException.class, () -> elsewhere(() -> {
                lock.unlock();
                return null;
            }));
        } finally {
            lock.unlock();
        }
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "unlock of a lock nobody holds");
    }

    @Test
    void threadsIncrementingUnderTheLockLoseNoUpdate() throws Exception {
        int[] counter = new int[1];
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 300; i++) {
                    lock.lock();
                    try {
                        int v = counter[0];
                        Thread.onSpinWait();
                        counter[0] = v + 1;
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(1200, counter[0]);
    }
}
