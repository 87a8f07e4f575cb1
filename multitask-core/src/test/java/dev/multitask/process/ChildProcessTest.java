package dev.multitask.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.ipc.SerializationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildProcessTest {
    @TempDir
    Path tmp;

    static void write(String file, String text) {
        try {
            Files.writeString(Path.of(file), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void runsTheTargetInAnotherProcessWithItsCapturedArguments() throws Exception {
        String out = tmp.resolve("out").toString();
        int i = 42;
        ChildProcess p = new ChildProcess(() -> write(out, "work " + i + " in " + ProcessHandle.current().pid()));
        assertEquals(OptionalInt.empty(), p.exitCode());
        p.start();
        p.join();
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertFalse(p.isAlive());
        assertEquals("work 42 in " + p.pid(), Files.readString(Path.of(out)));
        assertNotEquals(ProcessHandle.current().pid(), p.pid());
    }

    @Test
    void aTargetThatThrowsExitsWithStatusOne() throws Exception {
        ChildProcess p = new ChildProcess("Failing", () -> {
            throw new IllegalStateException("expected by the test");
        });
        p.start();
        assertTrue(p.join(Duration.ofSeconds(60)));
        assertEquals(OptionalInt.of(1), p.exitCode());
    }

    @Test
    void systemExitStatusIsTheExitCode() throws Exception {
        ChildProcess p = new ChildProcess(() -> System.exit(5));
        p.start();
        p.join();
        assertEquals(OptionalInt.of(5), p.exitCode());
    }

    @Test
    void killAndTerminateStopARunningChild() throws Exception {
        ChildProcess a = new ChildProcess(() -> sleep(60_000));
        ChildProcess b = new ChildProcess(() -> sleep(60_000));
        a.start();
        b.start();
        assertFalse(a.join(Duration.ofMillis(100)));
        assertTrue(a.isAlive());
        assertEquals(OptionalInt.empty(), a.exitCode());
        a.kill();
        b.terminate();
        a.join();
        b.join();
        assertEquals(OptionalInt.of(137), a.exitCode());
        assertEquals(OptionalInt.of(143), b.exitCode());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void misuseIsReportedClearly() throws Exception {
        ChildProcess p = new ChildProcess(() -> { });
        assertThrows(IllegalStateException.class, p::pid);
        assertThrows(IllegalStateException.class, p::join);
        p.start();
        IllegalStateException twice = assertThrows(IllegalStateException.class, p::start);
        assertTrue(twice.getMessage().contains("already started"));
        p.join();
        assertThrows(NullPointerException.class, () -> new ChildProcess(null));
    }

    @Test
    void aTargetThatCannotBeSerializedFailsAtStartAndStartsNothing() {
        Object lock = new Object();
        ChildProcess p = new ChildProcess(() -> lock.notify());
        SerializationException e = assertThrows(SerializationException.class, p::start);
        assertEquals("java.lang.Object", e.className());
        assertFalse(p.isAlive());
        assertThrows(IllegalStateException.class, p::pid);
    }

    @Test
    void namesFollowPythonsDefault() {
        assertTrue(new ChildProcess(() -> { }).name().startsWith("Process-"));
        assertEquals("worker", new ChildProcess("worker", () -> { }).name());
    }
}
