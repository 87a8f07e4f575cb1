/**
 * multitask beyond one machine: the {@link dev.multitask.pool.Pool} contract
 * ({@link dev.multitask.hazelcast.ClusterPool}), an {@link java.util.concurrent.ExecutorService}
 * ({@link dev.multitask.hazelcast.ClusterExecutor}), a {@link java.util.concurrent.BlockingQueue}
 * ({@link dev.multitask.hazelcast.ClusterQueue}), a lock and a semaphore on a Hazelcast cluster
 * (open-source edition features; the CP subsystem when the edition has it), and
 * {@link dev.multitask.hazelcast.LocalCluster} to start member JVMs on this host.
 */
package dev.multitask.hazelcast;
