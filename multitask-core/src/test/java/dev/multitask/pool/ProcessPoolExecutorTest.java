package dev.multitask.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.ipc.SerializationException;
import dev.multitask.process.TaskTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPoolExecutorTest {

    static long pid() {
        return ProcessHandle.current().pid();
    }

    @Test
    void submitRunsInAnotherProcess() throws Exception {
        try (ProcessPoolExecutor ex = new ProcessPoolExecutor(2)) {
            Future<Long> f = ex.submit(ProcessPoolExecutorTest::pid);
            assertTrue(f.get(60, TimeUnit.SECONDS) != pid());
            int k = 4;
            assertEquals(16, ex.submit(() -> k * k).get());
            assertEquals(null, ex.submit(() -> System.out.print("")).get());
        }
    }

    @Test
    void mapInvokeAllAndInvokeAny() throws Exception {
        try (ProcessPoolExecutor ex = new ProcessPoolExecutor(2)) {
            assertEquals(List.of(1, 4, 9), ex.map(x -> x * x, List.of(1, 2, 3)));
            List<Future<Integer>> fs = ex.invokeAll(List.of(
                    (dev.multitask.function.SerializableCallable<Integer>) () -> 1,
                    (dev.multitask.function.SerializableCallable<Integer>) () -> 2,
                    (dev.multitask.function.SerializableCallable<Integer>) () -> {
                        throw new IllegalStateException("three");
                    }));
            assertEquals(1, fs.get(0).get());
            assertEquals(2, fs.get(1).get());
            ExecutionException e = assertThrows(ExecutionException.class, () -> fs.get(2).get());
            assertEquals("three", e.getCause().getMessage());

            int any = ex.invokeAny(List.of(
                    (dev.multitask.function.SerializableCallable<Integer>) () -> {
                        throw new IllegalStateException("no");
                    },
                    (dev.multitask.function.SerializableCallable<Integer>) () -> 8));
            assertEquals(8, any);
            assertThrows(ExecutionException.class, () -> ex.invokeAny(List.of(
                    (dev.multitask.function.SerializableCallable<Integer>) () -> {
                        throw new IllegalStateException("no");
                    })));
        }
    }

    @Test
    void invokeAllWithTimeoutCancelsWhatIsLate() throws Exception {
        try (ProcessPoolExecutor ex = new ProcessPoolExecutor(1)) {
            List<Future<Integer>> fs = ex.invokeAll(List.of(
                    (dev.multitask.function.SerializableCallable<Integer>) () -> 1,
                    (dev.multitask.function.SerializableCallable<Integer>) () -> {
                        Thread.sleep(60_000);
                        return 2;
                    }), 2, TimeUnit.SECONDS);
            assertEquals(1, fs.get(0).get());
            assertTrue(fs.get(1).isCancelled());
        }
    }

    @Test
    void aPlainNonSerializableCallableIsRefusedAtOnce() {
        try (ProcessPoolExecutor ex = new ProcessPoolExecutor(1)) {
            Callable<Integer> plain = () -> 1;
            SerializationException e = assertThrows(SerializationException.class, () -> ex.submit(plain));
            assertTrue(e.getMessage().contains("SerializableCallable"), e.getMessage());
            Runnable r = () -> { };
            assertThrows(SerializationException.class, () -> ex.execute(r));
        }
    }

    @Test
    void shutdownRejectsNewTasksAndFinishesQueuedOnes() throws Exception {
        ProcessPoolExecutor ex = new ProcessPoolExecutor(1);
        Future<Integer> queued = ex.submit(() -> {
            Thread.sleep(200);
            return 5;
        });
        ex.shutdown();
        assertTrue(ex.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
        assertTrue(ex.awaitTermination(60, TimeUnit.SECONDS));
        assertTrue(ex.isTerminated());
        assertEquals(5, queued.get());
    }

    @Test
    void shutdownNowCancelsEverything() throws Exception {
        ProcessPoolExecutor ex = new ProcessPoolExecutor(1);
        Future<Integer> running = ex.submit(() -> {
            Thread.sleep(60_000);
            return 1;
        });
        Future<Integer> queued = ex.submit(() -> 2);
        assertEquals(List.of(), ex.shutdownNow());
        assertThrows(CancellationException.class, () -> queued.get(30, TimeUnit.SECONDS));
        assertThrows(CancellationException.class, () -> running.get(30, TimeUnit.SECONDS));
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
    }

    @Test
    void taskTimeout() {
        try (ProcessPoolExecutor ex = new ProcessPoolExecutor(1, Duration.ofMillis(300))) {
            Future<Integer> f = ex.submit(() -> {
                Thread.sleep(60_000);
                return 1;
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            assertInstanceOf(TaskTimeoutException.class, e.getCause());
            assertFalse(ex.isShutdown());
        }
        assertThrows(IllegalArgumentException.class, () -> new ProcessPoolExecutor(0));
        assertThrows(IllegalArgumentException.class, () -> new ProcessPoolExecutor(1, Duration.ZERO));
    }
}
