package dev.multitask.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCachePruneTest {
    @Test
    void keepsTheMostRecentlyUsedCachesAndRemovesOldTrainingLeftovers(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        for (int i = 0; i < 10; i++) { // c0 is the most recently used
            Path p = Files.createFile(dir.resolve("c" + i + ".aot"));
            Files.setLastModifiedTime(p, FileTime.fromMillis(now - i * 60_000L));
        }
        Path oldTmp = Files.createFile(dir.resolve("c9.aot.123.tmp.config"));
        Files.setLastModifiedTime(oldTmp, FileTime.fromMillis(now - 2 * 3_600_000L));
        Path runningTmp = Files.createFile(dir.resolve("c1.aot.456.tmp"));
        Path marker = Files.createFile(dir.resolve("c1.aot.training"));

        AotCache.prune(dir, 3);

        Set<String> left;
        try (var files = Files.list(dir)) {
            left = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertEquals(Set.of("c0.aot", "c1.aot", "c2.aot", runningTmp.getFileName().toString(), marker.getFileName().toString()), left);
    }
}
