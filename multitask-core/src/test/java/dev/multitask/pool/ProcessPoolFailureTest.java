package dev.multitask.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.ipc.SerializationException;
import dev.multitask.process.TaskTimeoutException;
import dev.multitask.process.WorkerDiedException;
import dev.multitask.process.WorkerStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How a process pool fails: dead workers, timeouts, bad tasks, bad settings. Nothing may hang. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPoolFailureTest {
    @TempDir
    Path tmp;

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /** Writes this worker's pid to {@code file}, then sleeps for a minute. */
    static int reportPidAndSleep(String file) throws Exception {
        Files.writeString(Path.of(file + ".tmp"), Long.toString(pid()));
        Files.move(Path.of(file + ".tmp"), Path.of(file));
        Thread.sleep(60_000);
        return 0;
    }

    static long awaitPid(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the task never started");
            }
            Thread.sleep(10);
        }
        return Long.parseLong(Files.readString(file));
    }

    @Test
    void workerKilledWithSigkillFailsItsTaskAndIsReplaced() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            String f = tmp.resolve("pid").toString();
            AsyncResult<Integer> r = pool.applyAsync(() -> reportPidAndSleep(f));
            long victim = awaitPid(Path.of(f));
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(30, TimeUnit.SECONDS));
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertEquals(victim, died.pid());
            assertEquals(137, died.exitStatus());
            assertTrue(died.getMessage().contains("SIGKILL"), died.getMessage());
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                pids.add(pool.apply(ProcessPoolFailureTest::pid));
            }
            assertFalse(pids.contains(victim));
            assertEquals(2, pool.size());
        }
    }

    @Test
    void systemExitAndHaltInATaskFailWithWorkerDied() {
        try (ProcessPool pool = new ProcessPool(1)) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(() -> {
                System.exit(7);
                return 0;
            }));
            assertEquals(7, assertInstanceOf(WorkerDiedException.class, e.getCause()).exitStatus());
            e = assertThrows(TaskFailedException.class, () -> pool.apply(() -> {
                Runtime.getRuntime().halt(9);
                return 0;
            }));
            assertEquals(9, assertInstanceOf(WorkerDiedException.class, e.getCause()).exitStatus());
            assertEquals(5, pool.apply(() -> 5));
        }
    }

    @Test
    void outOfMemoryInAWorkerFailsTheTaskAndThePoolGoesOn() {
        try (ProcessPool pool = ProcessPool.builder().processes(1).jvmOptions("-Xmx64m", "-XX:+ExitOnOutOfMemoryError").build()) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(() -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }));
            assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertEquals(3, pool.apply(() -> 3));
        }
    }

    static int haltOn(int x, int bad) {
        if (x == bad) {
            Runtime.getRuntime().halt(1);
        }
        return x;
    }

    @Test
    void mapWithAWorkerDyingMidwayFailsInsteadOfHanging() {
        try (ProcessPool pool = new ProcessPool(2)) {
            TaskFailedException e = assertThrows(TaskFailedException.class,
                    () -> pool.map(x -> haltOn(x, 37), IntStream.range(0, 100).boxed().toList(), 1));
            assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertEquals(List.of(0, 1, 2), pool.map(x -> x, List.of(0, 1, 2)));
        }
    }

    static int slowIdentity(int x) {
        try {
            Thread.sleep(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return x;
    }

    /** Kills workers with SIGKILL at random while an imap runs: every item completes or fails, none hangs. */
    @Test
    void sigkillStressNeverLosesOrHangsAResult() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            int n = 400;
            Thread killer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int k = 0; k < 6; k++) {
                        Thread.sleep(150 + ThreadLocalRandom.current().nextInt(150));
                        List<Long> pids = pool.workerPids();
                        if (!pids.isEmpty()) {
                            ProcessHandle.of(pids.get(ThreadLocalRandom.current().nextInt(pids.size())))
                                    .ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }
                } catch (InterruptedException e) {
                    // done
                }
            });
            int ok = 0;
            int died = 0;
            Set<Integer> seen = new HashSet<>();
            try (ResultIterator<Integer> it = pool.imap(ProcessPoolFailureTest::slowIdentity, IntStream.range(0, n).boxed().toList())) {
                for (int i = 0; i < n; i++) {
                    try {
                        int v = it.next();
                        assertEquals(i, v, "results stay in input order");
                        assertTrue(seen.add(v));
                        ok++;
                    } catch (TaskFailedException e) {
                        assertInstanceOf(WorkerDiedException.class, e.getCause());
                        died++;
                    }
                }
                assertFalse(it.hasNext());
            }
            killer.join();
            assertEquals(n, ok + died);
            assertTrue(ok > 0);
            assertEquals(7, pool.apply(() -> 7), "the pool still serves after the killing");
        }
    }

    @Test
    void taskTimeoutKillsTheWorkerAndFailsTheTask() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().processes(1).taskTimeout(Duration.ofMillis(500)).build()) {
            String f = tmp.resolve("pid").toString();
            AsyncResult<Integer> r = pool.applyAsync(() -> reportPidAndSleep(f));
            long victim = awaitPid(Path.of(f));
            ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(30, TimeUnit.SECONDS));
            TaskTimeoutException t = assertInstanceOf(TaskTimeoutException.class, e.getCause());
            assertEquals(victim, t.pid());
            assertEquals(Duration.ofMillis(500), t.timeout());
            assertTrue(ProcessHandle.of(victim).map(ProcessHandle::isAlive).orElse(false) == false);
            assertEquals(1, pool.apply(() -> 1), "a quick task on the replacement is not timed out");
        }
    }

    @Test
    void cancelWithInterruptKillsTheRunningTask() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            String f = tmp.resolve("pid").toString();
            AsyncResult<Integer> r = pool.applyAsync(() -> reportPidAndSleep(f));
            long victim = awaitPid(Path.of(f));
            assertTrue(r.cancel(true));
            ProcessHandle.of(victim).ifPresent(h -> h.onExit().join());
            assertEquals(2, pool.apply(() -> 2));
        }
    }

    @Test
    void aTaskThatCannotBeSerializedFailsAtOnceNamingTheClass() {
        try (ProcessPool pool = new ProcessPool(1)) {
            Object notSerializable = new Thread();
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pool.applyAsync(() -> notSerializable.hashCode()));
            assertEquals("java.lang.Thread", e.className());
            assertTrue(e.getMessage().contains("java.lang.Thread") && e.getMessage().contains("captured arg 0"), e.getMessage());
            assertThrows(SerializationException.class, () -> pool.map(x -> notSerializable.hashCode() + x, List.of(1)));
            assertEquals(1, pool.apply(() -> 1), "the pool is still usable");
        }
    }

    @Test
    void aResultThatCannotBeSerializedFailsTheTaskNamingTheClass() {
        try (ProcessPool pool = new ProcessPool(1)) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(Thread::new));
            SerializationException s = assertInstanceOf(SerializationException.class, e.getCause());
            assertEquals("java.lang.Thread", s.className());
            assertEquals(1, pool.apply(() -> 1));
        }
    }

    /** A task whose class exists only in this JVM (compiled at test time into a private loader). */
    @Test
    void aClassMissingInTheWorkerIsAClearErrorNotAHang() throws Exception {
        try (GhostTask ghost = new GhostTask(tmp); ProcessPool pool = new ProcessPool(1)) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(ghost.task()));
            SerializationException s = assertInstanceOf(SerializationException.class, e.getCause());
            assertEquals("Ghost", s.className());
            assertTrue(s.getMessage().contains("not found in worker process"), s.getMessage());
        }
    }

    static volatile String initializedWith;

    @Test
    void initializerRunsInEachWorkerBeforeItsTasks() {
        try (ProcessPool pool = ProcessPool.builder().processes(2).initializer(() -> initializedWith = "ready").build()) {
            List<String> seen = pool.map(x -> initializedWith + x, List.of(1, 2, 3, 4), 1);
            assertEquals(List.of("ready1", "ready2", "ready3", "ready4"), seen);
        }
        assertEquals(null, initializedWith, "the initializer ran in the workers, not here");
    }

    @Test
    void aFailingInitializerBreaksThePoolInsteadOfLoopingForever() {
        try (ProcessPool pool = ProcessPool.builder().processes(2).initializer(() -> {
            throw new IllegalStateException("no database");
        }).build()) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(() -> 1));
            InitializerFailedException init = assertInstanceOf(InitializerFailedException.class, e.getCause());
            assertEquals("no database", init.getCause().getMessage());
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
            assertTrue(refused.getMessage().contains("broken"), refused.getMessage());
        }
    }

    @Test
    void maxTasksPerChildRecyclesWorkers() {
        try (ProcessPool pool = ProcessPool.builder().processes(1).maxTasksPerChild(2).build()) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                pids.add(pool.apply(ProcessPoolFailureTest::pid));
            }
            assertEquals(pids.get(0), pids.get(1));
            assertEquals(pids.get(2), pids.get(3));
            assertEquals(3, new HashSet<>(pids).size(), pids.toString());
        }
    }

    @Test
    void jvmOptionsReachTheWorkers() {
        try (ProcessPool pool = ProcessPool.builder().processes(1).jvmOptions("-Dmultitask.test=hello").build()) {
            assertEquals("hello", pool.apply(() -> System.getProperty("multitask.test")));
        }
    }

    @Test
    void aWorkerThatCannotStartBreaksThePoolWithAClearError() {
        try (ProcessPool pool = ProcessPool.builder().processes(1).jvmOptions("-XX:+NoSuchOptionAtAll").build()) {
            // the pool notices the failed start either before this call (which it then refuses:
            // IllegalStateException, the pool is broken) or while the task waits for a worker
            // (TaskFailedException); a race either way, and in both the cause is the start failure
            RuntimeException e = assertThrows(RuntimeException.class, () -> pool.apply(() -> 1));
            assertTrue(e instanceof TaskFailedException || e instanceof IllegalStateException, e.toString());
            WorkerStartException s = assertInstanceOf(WorkerStartException.class, e.getCause());
            assertTrue(s.getMessage().contains("before connecting"), s.getMessage());
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
            assertTrue(again.getMessage().startsWith("the pool is broken"), again.getMessage());
            assertInstanceOf(WorkerStartException.class, again.getCause());
        }
    }

    @Test
    void builderRefusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().processes(0));
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().maxTasksPerChild(0));
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().taskTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().taskTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().jvmOptions("-Xmx1g", " "));
        assertThrows(NullPointerException.class, () -> ProcessPool.builder().initializer(null));
    }

    @Test
    void largeArgumentsAndResultsTravelIntact() {
        try (ProcessPool pool = new ProcessPool(1)) {
            byte[] blob = new byte[8 << 20];
            ThreadLocalRandom.current().nextBytes(blob);
            int expected = java.util.Arrays.hashCode(blob);
            assertEquals(expected, pool.apply(() -> java.util.Arrays.hashCode(blob)));
            byte[] back = pool.apply(() -> blob.clone());
            assertTrue(java.util.Arrays.equals(blob, back));
            // several large arrays in one message, inside other objects, both ways; then a
            // larger one, which grows the shared files
            byte[] small = new byte[300_000];
            small[7] = 7;
            List<byte[]> pair = pool.apply(() -> List.of(small.clone(), blob.clone(), new byte[10]));
            assertTrue(java.util.Arrays.equals(small, pair.get(0)));
            assertTrue(java.util.Arrays.equals(blob, pair.get(1)));
            assertEquals(10, pair.get(2).length);
            byte[] big = new byte[24 << 20];
            big[big.length - 1] = 1;
            assertEquals(1, pool.apply(() -> (int) big[big.length - 1] + small[7] - 7 + blob.length - blob.length));
        }
    }
}
