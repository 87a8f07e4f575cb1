package dev.multitask.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.pool.ProcessPool;
import dev.multitask.process.ChildProcess;
import dev.multitask.shm.SharedLongArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedLockTest {
    @TempDir
    Path tmp;

    /** A read-modify-write that loses updates unless the lock excludes the other processes. */
    static int unsafeIncrements(SharedLock lock, SharedLongArray cell, int n) {
        for (int i = 0; i < n; i++) {
            try (var held = lock.acquire()) {
                long v = cell.get(0);
                Thread.onSpinWait();
                cell.set(0, v + 1);
            }
        }
        return n;
    }

    @Test
    void excludesThreadsOfAllProcesses() throws Exception {
        SharedLock lock = SharedLock.create();
        SharedLongArray cell = SharedLongArray.create(1);
        try (ProcessPool pool = new ProcessPool(2)) {
            Thread local = Thread.ofPlatform().start(() -> unsafeIncrements(lock, cell, 20_000));
            List<Integer> done = pool.map(k -> unsafeIncrements(lock, cell, 20_000), List.of(1, 2, 3, 4), 1);
            local.join();
            assertEquals(List.of(20_000, 20_000, 20_000, 20_000), done);
            assertEquals(100_000, cell.get(0), "no update was lost");
            assertFalse(lock.isLocked());
        } finally {
            lock.unlink();
            cell.unlink();
        }
    }

    static void holdForever(SharedLock lock, String file) {
        lock.lock();
        try {
            Files.writeString(Path.of(file), "held");
            Thread.sleep(120_000);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void aProcessKilledHoldingTheLockDoesNotBlockTheOthers() throws Exception {
        SharedLock lock = SharedLock.create();
        try {
            String f = tmp.resolve("held").toString();
            ChildProcess holder = new ChildProcess(() -> holdForever(lock, f));
            holder.start();
            while (!Files.exists(Path.of(f))) {
                Thread.sleep(10);
            }
            assertTrue(lock.isLocked());
            assertFalse(lock.tryLock(Duration.ofMillis(200)), "held by a live process");
            holder.kill();
            holder.join();
            try (var held = lock.acquire()) {
                assertTrue(held.previousOwnerDied(), "the next owner learns that the previous one died");
                assertTrue(lock.previousOwnerDied());
            }
            try (var held = lock.acquire()) {
                assertFalse(held.previousOwnerDied(), "only the take-over reports it");
            }
        } finally {
            lock.unlink();
        }
    }

    @Test
    void aWaitingProcessIsWokenWhenTheLockIsReleased() throws Exception {
        SharedLock lock = SharedLock.create();
        SharedLongArray order = SharedLongArray.create(2);
        try {
            lock.lock();
            ChildProcess waiter = new ChildProcess(() -> {
                try (var held = lock.acquire()) {
                    order.set(1, order.get(0) + 1);
                }
            });
            waiter.start();
            Thread.sleep(300);
            order.set(0, 41);
            lock.unlock();
            assertTrue(waiter.join(Duration.ofSeconds(60)));
            assertEquals(0, waiter.exitCode().orElseThrow());
            assertEquals(42, order.get(1), "the child ran after the release and saw what was written under the lock");
        } finally {
            lock.unlink();
            order.unlink();
        }
    }

    @Test
    void notReentrantUnlessAskedFor() throws Exception {
        SharedLock lock = SharedLock.create();
        SharedRLock rlock = SharedRLock.create();
        try {
            lock.lock();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::lock);
            assertTrue(e.getMessage().contains("SharedRLock"));
            Thread other = Thread.ofPlatform().start(() ->
                    assertThrows(IllegalMonitorStateException.class, lock::unlock));
            other.join();
            lock.unlock();
            assertThrows(IllegalMonitorStateException.class, lock::unlock);

            rlock.lock();
            rlock.lock();
            assertEquals(2, rlock.holdCount());
            rlock.unlock();
            assertTrue(rlock.isLocked());
            rlock.unlock();
            assertFalse(rlock.isLocked());
            assertEquals(0, rlock.holdCount());
        } finally {
            lock.unlink();
            rlock.unlink();
        }
    }

    @Test
    void aLockTravelsToAChildAsTheSameLock() throws Exception {
        SharedRLock rlock = SharedRLock.create();
        try {
            rlock.lock();
            ChildProcess child = new ChildProcess(() -> System.exit(rlock.tryLock() ? 1 : (rlock instanceof SharedRLock ? 0 : 2)));
            child.start();
            child.join();
            assertEquals(0, child.exitCode().orElseThrow(), "the child saw the lock held, and as a SharedRLock");
            rlock.unlock();
        } finally {
            rlock.unlink();
        }
    }
}
