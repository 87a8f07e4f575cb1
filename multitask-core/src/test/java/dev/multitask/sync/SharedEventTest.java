package dev.multitask.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.process.ChildProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedEventTest {

    @Test
    void setWakesWaitersInOtherProcesses() throws Exception {
        SharedEvent go = SharedEvent.create();
        SharedEvent ready = SharedEvent.create();
        try {
            assertFalse(go.isSet());
            assertFalse(go.await(Duration.ofMillis(50)), "not set: the wait times out");
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ChildProcess c = new ChildProcess(() -> {
                    try {
                        ready.set();
                        System.exit(go.await(Duration.ofSeconds(60)) ? 0 : 9);
                    } catch (InterruptedException e) {
                        System.exit(8);
                    }
                });
                c.start();
                children.add(c);
            }
            assertTrue(ready.await(Duration.ofSeconds(60)));
            Thread.sleep(200);
            for (ChildProcess c : children) {
                assertTrue(c.isAlive(), "waiting for the event");
            }
            go.set();
            for (ChildProcess c : children) {
                assertTrue(c.join(Duration.ofSeconds(60)));
                assertEquals(0, c.exitCode().orElseThrow());
            }
            go.clear();
            assertFalse(go.isSet());
            assertThrows(IllegalArgumentException.class, () -> go.await(Duration.ofSeconds(-1)));
        } finally {
            go.unlink();
            ready.unlink();
        }
    }
}
