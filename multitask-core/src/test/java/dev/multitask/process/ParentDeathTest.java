package dev.multitask.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.ipc.internal.Hub;
import dev.multitask.pool.ProcessPool;
import java.nio.file.Files;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers and children never outlive their parent, even when it is killed with SIGKILL. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParentDeathTest {

    /** The parent: starts a pool and a child, prints their pids, then waits to be killed. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("exit-while-spare-warms-up")) {
            exitWhileASpareWarmsUp();
            return;
        }
        ProcessPool pool = new ProcessPool(2);
        pool.map(x -> x, List.of(1, 2, 3, 4), 1);
        ChildProcess child = new ChildProcess(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                return;
            }
        });
        child.start();
        List<Long> pids = new ArrayList<>(pool.workerPids());
        pids.add(child.pid());
        // a segment the parent will never unlink: killed, its shutdown hook cannot run
        dev.multitask.shm.SharedLong leaked = dev.multitask.shm.SharedLong.create(7);
        System.out.println("SEGMENT " + leaked.name());
        System.out.println("PIDS " + pids.toString().replaceAll("[\\[\\] ]", ""));
        System.out.flush();
        Thread.sleep(120_000);
    }

    @Test
    void workersAndChildrenExitWhenTheirParentIsKilled() throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParentDeathTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<ProcessHandle> children = new ArrayList<>();
        String segment = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(parent.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("PIDS ")) {
                if (line.startsWith("SEGMENT ")) {
                    segment = line.substring(8);
                }
            }
            assertFalse(line == null, "the parent printed its workers' pids");
            for (String p : line.substring(5).split(",")) {
                children.add(ProcessHandle.of(Long.parseLong(p)).orElseThrow());
            }
        }
        assertEquals(3, children.size());
        parent.destroyForcibly();
        parent.waitFor();
        for (ProcessHandle h : children) {
            h.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(h.isAlive(), "process " + h.pid() + " outlived its parent");
        }
        // what the killed parent could not clean up (its socket directory, its shared-memory
        // directory) is removed by the next multitask process that starts a hub
        String prefix = "multitask-" + parent.pid() + "-";
        assertTrue(leftovers(prefix) > 0, "the killed parent left its directories (this test checks their removal)");
        Hub.sweepStale();
        assertEquals(0, leftovers(prefix), "files of the killed parent are left in /tmp or /dev/shm");
        // and the shared-memory segment it leaked
        assertTrue(segment != null && Files.exists(Path.of("/dev/shm", segment)), "the killed parent leaked its segment");
        assertTrue(dev.multitask.shm.SharedMemory.sweepLeaked() >= 1);
        assertFalse(Files.exists(Path.of("/dev/shm", segment)), "the leaked segment was swept");
    }

    /**
     * The parent of the test below: asks for a spare, waits until the spare is warming up
     * (its warm-up thread shows in /proc), prints its pid and exits at once.
     */
    static void exitWhileASpareWarmsUp() throws Exception {
        ChildProcess.prestart(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (ProcessHandle spare : ProcessHandle.current().children().toList()) {
                if (warmingUp(spare.pid())) {
                    System.out.println("SPARE " + spare.pid());
                    System.out.flush();
                    Runtime.getRuntime().halt(0);
                }
            }
            Thread.sleep(1);
        }
        System.out.println("NO SPARE WARMING UP");
    }

    private static boolean warmingUp(long pid) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                if (Files.readString(t.resolve("comm")).startsWith("multitask-warm")) {
                    return true;
                }
            }
        } catch (Exception e) {
            // gone or not yet there
        }
        return false;
    }

    /** A spare halted mid-warm-up (its parent gone) leaves no shared-memory file behind. */
    @Test
    void aSpareHaltedWhileItWarmsUpLeavesNoSegment() throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParentDeathTest.class.getName(), "exit-while-spare-warms-up")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String line;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(parent.getInputStream()))) {
            line = r.readLine();
        }
        assertTrue(line != null && line.startsWith("SPARE "), "the parent saw its spare warming up: " + line);
        long pid = Long.parseLong(line.substring(6));
        parent.waitFor();
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        assertEquals(0, leftovers("mt-" + pid + "-") + leftovers(".mt-" + pid + "-"), "the halted spare left segments in /dev/shm");
        Hub.sweepStale(); // the halted parent's own socket and shared-memory directories
        assertEquals(0, leftovers("multitask-" + parent.pid() + "-"));
    }

    private static long leftovers(String prefix) throws Exception {
        long n = 0;
        for (Path dir : List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/dev/shm"))) {
            if (Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    n += s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
                }
            }
        }
        return n;
    }
}
