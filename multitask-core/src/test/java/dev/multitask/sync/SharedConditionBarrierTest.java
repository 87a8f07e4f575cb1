package dev.multitask.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.pool.ProcessPool;
import dev.multitask.process.ChildProcess;
import dev.multitask.shm.SharedLongArray;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedConditionBarrierTest {

    @Test
    void aConditionWakesAWaiterInAnotherProcess() throws Exception {
        SharedRLock lock = SharedRLock.create();
        SharedCondition ready = SharedCondition.create(lock);
        SharedLongArray state = SharedLongArray.create(1);
        try {
            ChildProcess waiter = new ChildProcess(() -> {
                lock.lock();
                lock.lock(); // held twice: waiting releases it whole
                try {
                    while (state.get(0) == 0) {
                        ready.await();
                    }
                    System.exit((int) state.get(0) == 7 && ((SharedRLock) ready.lock()).holdCount() == 2 ? 0 : 5);
                } catch (InterruptedException e) {
                    System.exit(6);
                } finally {
                    lock.unlock();
                    lock.unlock();
                }
            });
            waiter.start();
            Thread.sleep(300);
            lock.lock();
            try {
                state.set(0, 7);
                ready.signal();
            } finally {
                lock.unlock();
            }
            assertTrue(waiter.join(Duration.ofSeconds(60)));
            assertEquals(0, waiter.exitCode().orElseThrow());

            assertThrows(IllegalMonitorStateException.class, ready::signal, "signalling needs the lock");
            lock.lock();
            try {
                assertFalse(ready.await(Duration.ofMillis(50)), "no signal: the wait times out");
                assertEquals(1, lock.holdCount(), "and the lock is held again");
            } finally {
                lock.unlock();
            }
        } finally {
            ready.unlink();
            lock.unlink();
            state.unlink();
        }
    }

    static int meet(SharedBarrier b) {
        try {
            return b.await(Duration.ofSeconds(60));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBarrierReleasesAllPartiesTogetherWithDistinctIndexes() throws Exception {
        SharedBarrier b = SharedBarrier.create(3);
        try (ProcessPool pool = new ProcessPool(2)) {
            var r1 = pool.applyAsync(() -> meet(b));
            var r2 = pool.applyAsync(() -> meet(b));
            int mine = b.await(Duration.ofSeconds(60));
            assertEquals(new HashSet<>(List.of(0, 1, 2)), new HashSet<>(List.of(mine, r1.get(), r2.get())));
            // a second round works the same
            var r3 = pool.applyAsync(() -> meet(b));
            var r4 = pool.applyAsync(() -> meet(b));
            b.await(Duration.ofSeconds(60));
            r3.get();
            r4.get();
            assertFalse(b.isBroken());
        } finally {
            b.unlink();
        }
    }

    @Test
    void aTimeoutBreaksTheBarrierForEveryone() throws Exception {
        SharedBarrier b = SharedBarrier.create(3);
        try {
            ChildProcess other = new ChildProcess(() -> {
                try {
                    b.await();
                    System.exit(1);
                } catch (BrokenBarrierException e) {
                    System.exit(0);
                } catch (InterruptedException e) {
                    System.exit(2);
                }
            });
            other.start();
            while (b.numberWaiting() == 0) {
                Thread.sleep(10);
            }
            assertThrows(TimeoutException.class, () -> b.await(Duration.ofMillis(100)));
            assertTrue(b.isBroken());
            other.join();
            assertEquals(0, other.exitCode().orElseThrow(), "the waiting party saw the barrier break");
            assertThrows(BrokenBarrierException.class, () -> b.await(Duration.ofSeconds(1)));
            b.reset();
            assertFalse(b.isBroken());
            assertThrows(IllegalArgumentException.class, () -> SharedBarrier.create(0));
        } finally {
            b.unlink();
        }
    }
}
