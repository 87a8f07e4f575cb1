package dev.multitask.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.multitask.pool.Pool;
import dev.multitask.pool.internal.BackedPool;
import dev.multitask.pool.internal.PoolBackend;
import java.time.Duration;

/**
 * The {@link Pool} contract on a Hazelcast cluster: what Ray's
 * {@code ray.util.multiprocessing.Pool} is to Python's. A program moves from worker JVMs to a
 * cluster by changing how the pool is created:
 * <pre>{@code
 * try (Pool pool = ClusterPool.localCluster(3)) {      // was: new ProcessPool(4)
 *     List<Integer> squares = pool.map(x -> x * x, xs);
 * }
 * }</pre>
 * Same results, ordering, laziness ({@code imap}) and error semantics as {@code ProcessPool}:
 * tasks are serialized by multitask's serializer (a non-serializable task fails at the call,
 * naming the field), exceptions come back with their remote stack trace, a class missing on a
 * member is a {@link dev.multitask.ipc.SerializationException} naming it.
 *
 * <p><b>When a member dies</b> (killed, crashed, cut off) while running tasks of a
 * {@code map}, those tasks are sent again to the remaining members and the {@code map}
 * returns complete, correct results: a task may run twice, its result is reported once. With
 * no member left, tasks fail with a {@link ClusterUnavailableException} instead of waiting.
 *
 * <p>{@code size()} is the number of tasks in flight at once ({@code workers}); the rest wait
 * here, so {@code close()} and {@code terminate()} act on them without the cluster.
 * Every member must have multitask-core, multitask-hazelcast and the task's classes on its
 * class path. Thread-safe.
 */
public final class ClusterPool extends BackedPool {
    private final ClusterEngine engine;

    /**
     * A pool on an instance the caller owns (a member or a client), running at most one task
     * per member and available processor of this JVM at once. The instance is not shut down by
     * {@link #close()}.
     */
    public ClusterPool(HazelcastInstance hazelcast) {
        this(hazelcast, Math.max(1, hazelcast.getCluster().getMembers().size()) * Runtime.getRuntime().availableProcessors());
    }

    /** A pool on an instance the caller owns, at most {@code workers} tasks in flight at once. */
    public ClusterPool(HazelcastInstance hazelcast, int workers) {
        this(hazelcast, workers, null);
    }

    private ClusterPool(HazelcastInstance hazelcast, int workers, AutoCloseable owned) {
        this.engine = new ClusterEngine(hazelcast, workers, owned);
    }

    /**
     * A pool on one Hazelcast member embedded in this JVM, bound to 127.0.0.1 and alone in a
     * cluster of its own: the setup-free default, one worker per available processor.
     */
    public static ClusterPool embedded() {
        return embedded(Runtime.getRuntime().availableProcessors());
    }

    /** {@link #embedded()} with {@code workers} executor threads. */
    public static ClusterPool embedded(int workers) {
        HazelcastInstance member = Members.startEmbedded(workers);
        try {
            return new ClusterPool(member, workers, member::shutdown);
        } catch (RuntimeException e) {
            member.shutdown();
            throw e;
        }
    }

    /**
     * A pool on {@code members} member JVMs started on this host ({@link LocalCluster}), each
     * with one executor thread per available processor; closing the pool stops them.
     */
    public static ClusterPool localCluster(int members) {
        return localCluster(members, Runtime.getRuntime().availableProcessors());
    }

    /** {@link #localCluster(int)} with {@code threadsPerMember} executor threads per member. */
    public static ClusterPool localCluster(int members, int threadsPerMember) {
        LocalCluster c = LocalCluster.start(members, threadsPerMember);
        try {
            return new ClusterPool(c.client(), members * threadsPerMember, c);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    protected PoolBackend backend() {
        return engine;
    }

    @Override
    public int size() {
        return engine.size();
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public void terminate() {
        engine.terminate();
    }

    @Override
    public void join() throws InterruptedException {
        engine.awaitReleased(Duration.ofDays(365));
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return engine.awaitReleased(timeout);
    }
}
