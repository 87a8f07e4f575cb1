package dev.multitask.shm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.pool.ProcessPool;
import dev.multitask.process.ChildProcess;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedMemoryTest {

    @Test
    void rawSegmentsAreSharedByNameAndCleanedUpByUnlink() throws Exception {
        String name = SharedMemory.uniqueName();
        try (SharedMemory a = SharedMemory.create(name, 4096); SharedMemory b = SharedMemory.attach(name)) {
            assertTrue(a.isOwner());
            assertFalse(b.isOwner());
            assertEquals(4096, b.size());
            a.segment().set(ValueLayout.JAVA_INT, 100, 42);
            assertEquals(42, b.segment().get(ValueLayout.JAVA_INT, 100));
            Path file = SharedMemory.directory().resolve(name);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            a.unlink();
            assertFalse(Files.exists(file));
            assertEquals(42, b.segment().get(ValueLayout.JAVA_INT, 100), "an unlinked segment lives while mapped");
        }
    }

    @Test
    void misuseIsAClearExceptionNeverAStrayAccess() {
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach("no-such-segment-" + System.nanoTime()));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("../etc/passwd", 10));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(0));
        SharedLong v = SharedLong.create(1);
        try {
            IllegalStateException dup = assertThrows(IllegalStateException.class, () -> SharedLong.create(v.name(), 2));
            assertTrue(dup.getMessage().contains("already exists"));
            IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> SharedLongArray.attach(v.name()));
            assertTrue(kind.getMessage().contains("a SharedLong"), kind.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach(v.name()));
            SharedLongArray arr = SharedLongArray.create(3);
            assertThrows(IndexOutOfBoundsException.class, () -> arr.get(3));
            assertThrows(IndexOutOfBoundsException.class, () -> arr.set(-1, 0));
            arr.unlink();
            arr.close();
            assertThrows(IllegalStateException.class, () -> arr.get(0));
        } finally {
            v.unlink();
            v.close();
        }
    }

    @Test
    void byteArraysAreSharedWithChildren() throws Exception {
        SharedByteArray bytes = SharedByteArray.create(16);
        try {
            bytes.copyFrom(new byte[] {1, 2, 3}, 4);
            ChildProcess child = new ChildProcess(() -> bytes.set(0, (byte) (bytes.get(4) + bytes.get(6))));
            child.start();
            child.join();
            assertEquals(4, bytes.get(0));
            assertArrayEquals(new byte[] {4, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0}, bytes.toArray());
            assertThrows(IndexOutOfBoundsException.class, () -> bytes.copyFrom(new byte[3], 14));
            assertThrows(IndexOutOfBoundsException.class, () -> bytes.get(16));
            assertEquals(16, bytes.view().byteSize());
        } finally {
            bytes.unlink();
            bytes.close();
        }
    }

    @Test
    void aFileThatIsNotASegmentIsRefused() throws Exception {
        Path junk = SharedMemory.directory().resolve("not-a-segment-" + ProcessHandle.current().pid());
        Files.write(junk, new byte[128]);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach(junk.getFileName().toString()));
            assertTrue(e.getMessage().contains("not a multitask shared memory segment"));
        } finally {
            Files.delete(junk);
        }
    }

    @Test
    void typedValuesAreAtomicWithinAProcess() throws Exception {
        SharedLong counter = SharedLong.create(0);
        SharedDouble sum = SharedDouble.create(0.5);
        SharedIntArray ints = SharedIntArray.create(4);
        try {
            Thread[] ts = new Thread[4];
            for (int t = 0; t < ts.length; t++) {
                ts[t] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        counter.incrementAndGet();
                        sum.getAndAdd(1.0);
                        ints.getAndAdd(1, 2);
                    }
                });
            }
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(40_000, counter.get());
            assertEquals(40_000.5, sum.get());
            assertArrayEquals(new int[] {0, 80_000, 0, 0}, ints.toArray());
            assertTrue(counter.compareAndSet(40_000, 7));
            assertFalse(counter.compareAndSet(40_000, 8));
            assertEquals(7, counter.getAndSet(9));
        } finally {
            for (SharedValue v : List.of(counter, sum, ints)) {
                v.unlink();
                v.close();
            }
        }
    }

    static long addMany(SharedLong counter, SharedLongArray perTask, int slot) {
        for (int i = 0; i < 5_000; i++) {
            counter.incrementAndGet();
        }
        perTask.set(slot, ProcessHandle.current().pid());
        return counter.get();
    }

    @Test
    void valuesCapturedByTasksAreTheSameMemoryInEveryProcess() throws Exception {
        SharedLong counter = SharedLong.create(0);
        SharedLongArray pids = SharedLongArray.create(4);
        SharedDoubleArray doubles = SharedDoubleArray.create(2);
        try (ProcessPool pool = new ProcessPool(2)) {
            pool.map(slot -> addMany(counter, pids, slot), List.of(0, 1, 2, 3), 1);
            assertEquals(20_000, counter.get());
            for (long pid : pids.toArray()) {
                assertTrue(pid != 0 && pid != ProcessHandle.current().pid(), "written by a worker");
            }
            ChildProcess child = new ChildProcess(() -> doubles.set(1, 2.5));
            child.start();
            child.join();
            assertEquals(2.5, doubles.get(1));
        } finally {
            for (SharedValue v : List.of(counter, pids, doubles)) {
                v.unlink();
                v.close();
            }
        }
    }
}
