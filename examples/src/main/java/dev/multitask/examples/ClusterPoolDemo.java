package dev.multitask.examples;

import dev.multitask.hazelcast.ClusterPool;
import dev.multitask.pool.Pool;
import java.util.List;

/**
 * The process-pool program of seed 1.2, moved to a Hazelcast cluster by changing one line: the
 * pool's constructor. {@code ClusterPool.embedded()} needs no setup (one member in this JVM);
 * {@code ClusterPool.localCluster(3)} starts three member JVMs; {@code new ClusterPool(hz)}
 * uses a cluster you run.
 */
public final class ClusterPoolDemo {
    static int work(int x) {
        return x * x;
    }

    public static void main(String[] args) {
        try (Pool pool = ClusterPool.embedded(2)) {           // was: new ProcessPool(2)
            List<Integer> squares = pool.map(ClusterPoolDemo::work, List.of(1, 2, 3, 4, 5));
            System.out.println("squares computed on the cluster: " + squares);
            System.out.println("apply: " + pool.apply(() -> "hello from a cluster member"));
        }
    }
}
