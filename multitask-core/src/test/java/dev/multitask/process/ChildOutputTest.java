package dev.multitask.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.pool.ProcessPool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Children and workers write to the parent's stdout and stderr, as in Python. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildOutputTest {

    static void fail() {
        throw new IllegalStateException("target failed on purpose");
    }

    /** The parent whose output the test reads. */
    public static void main(String[] args) throws Exception {
        ChildProcess ok = new ChildProcess(() -> {
            System.out.println("child stdout line");
            System.err.println("child stderr line");
        });
        ok.start();
        ok.join();
        ChildProcess bad = new ChildProcess("Failing-1", ChildOutputTest::fail);
        bad.start();
        bad.join();
        try (ProcessPool pool = new ProcessPool(1)) {
            pool.apply(() -> {
                System.out.println("worker stdout line");
                return null;
            });
        }
        System.out.println("exit codes " + ok.exitCode().orElseThrow() + " " + bad.exitCode().orElseThrow());
    }

    @Test
    void outputOfChildrenAndWorkersReachesTheParentsStreams() throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), ChildOutputTest.class.getName())
                .start();
        var err = new java.io.ByteArrayOutputStream();
        Thread errReader = Thread.ofPlatform().start(() -> {
            try {
                parent.getErrorStream().transferTo(err);
            } catch (java.io.IOException e) {
                // ends with the process
            }
        });
        String out = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, parent.waitFor());
        errReader.join();
        String errText = err.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("child stdout line"), out);
        assertTrue(out.contains("worker stdout line"), out);
        assertTrue(out.contains("exit codes 0 1"), out);
        assertTrue(errText.contains("child stderr line"), errText);
        assertTrue(errText.contains("Process Failing-1:"), errText);
        assertTrue(errText.contains("java.lang.IllegalStateException: target failed on purpose"), errText);
        assertTrue(errText.contains("at dev.multitask.process.ChildOutputTest.fail"), "the child's stack trace: " + errText);
    }
}
