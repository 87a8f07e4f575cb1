package dev.multitask.process.internal;

import java.util.List;

/** JVM options that make worker JVMs start faster (filled in by the AOT cache support). */
final class AotCache {
    private AotCache() {
    }

    static List<String> options() {
        return List.of();
    }
}
