package dev.multitask.lincheck;

import dev.multitask.sync.SharedLock;
import org.jetbrains.kotlinx.lincheck.LinCheckerKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of state guarded by a {@link SharedLock} (its CAS/futex protocol on shared
 * memory), checked by lincheck (stress mode and model checking) against the sequential execution of the same
 * operations: increments under the lock never collide and reads see a consistent count.
 */
public class SharedLockLincheckTest {
    private final SharedLock lock = SharedLock.create();
    private long counter;

    public SharedLockLincheckTest() {
        lock.unlink(); // the mapping stays valid; no file is left behind
    }

    @Operation
    public long increment() {
        lock.lock();
        try {
            return ++counter;
        } finally {
            lock.unlock();
        }
    }

    @Operation
    public long addTwo() {
        try (var held = lock.acquire()) {
            counter += 2;
            return counter;
        }
    }

    @Operation
    public long get() {
        lock.lock();
        try {
            return counter;
        } finally {
            lock.unlock();
        }
    }

    @Test
    void isLinearizable() {
        LinCheckerKt.check(new StressOptions().iterations(15).invocationsPerIteration(200).threads(3).actorsPerThread(3),
                SharedLockLincheckTest.class);
    }

    /**
     * Model checking: lincheck runs the operations under its own scheduler and explores
     * interleavings at every shared-memory access, including the segment's VarHandle
     * operations (CAS, volatile read, release store) of the protocol, so a race in a rare
     * order is found deterministically rather than by luck.
     */
    @Test
    void isLinearizableUnderModelChecking() {
        LinCheckerKt.check(new ModelCheckingOptions().iterations(20).invocationsPerIteration(300).threads(2).actorsPerThread(3),
                SharedLockLincheckTest.class);
    }
}
