package dev.multitask.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.process.ChildProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeTest {

    static void echo(Pipe.Connection c) {
        try {
            Object v;
            while (!"bye".equals(v = c.recv())) {
                c.send(List.of("echo", v));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void duplexEndsTalkAcrossProcesses() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            Pipe.Connection mine = pipe.first();
            Pipe.Connection theirs = pipe.second();
            ChildProcess child = new ChildProcess(() -> echo(theirs));
            child.start();
            assertFalse(mine.poll(Duration.ofMillis(50)), "nothing sent yet");
            mine.send(1);
            mine.send("two");
            assertTrue(mine.poll(Duration.ofSeconds(60)));
            assertEquals(List.of("echo", 1), mine.recv());
            assertEquals(List.of("echo", "two"), mine.recv());
            mine.send("bye");
            child.join();
            assertEquals(0, child.exitCode().orElseThrow());
        } finally {
            pipe.unlink();
        }
    }

    @Test
    void oneWayPipesRefuseTheWrongDirection() throws Exception {
        Pipe pipe = Pipe.open(false);
        try {
            Pipe.Connection receiver = pipe.first();
            Pipe.Connection sender = pipe.second();
            assertThrows(IllegalStateException.class, () -> receiver.send(1));
            assertThrows(IllegalStateException.class, sender::recv);
            sender.send("x");
            assertEquals("x", receiver.recv());
        } finally {
            pipe.unlink();
        }
    }
}
