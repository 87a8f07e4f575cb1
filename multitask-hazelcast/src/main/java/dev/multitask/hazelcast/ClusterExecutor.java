package dev.multitask.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.multitask.function.SerializableCallable;
import dev.multitask.pool.internal.BackedExecutor;
import dev.multitask.pool.internal.Engine;
import dev.multitask.pool.internal.PoolBackend;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * An {@link ExecutorService} whose tasks run on a Hazelcast cluster (over its
 * {@code IExecutorService}): the cluster counterpart of {@code ProcessPoolExecutor}, with the
 * same rules — serializable tasks (a lambda written where a {@code SerializableCallable} is
 * expected is), {@code Future.get()} throwing an {@code ExecutionException} whose cause is the
 * remote exception, {@code map}, {@code invokeAll}/{@code invokeAny}, tasks re-sent when their
 * member dies (see {@link ClusterPool}), {@link RejectedExecutionException} after shutdown.
 */
public final class ClusterExecutor extends BackedExecutor {
    private final ClusterEngine engine;
    private final PoolBackend backend;

    /** On an instance the caller owns, at most {@code workers} tasks in flight. */
    public ClusterExecutor(HazelcastInstance hazelcast, int workers) {
        this(new ClusterEngine(hazelcast, workers, null));
    }

    private ClusterExecutor(ClusterEngine engine) {
        this.engine = engine;
        this.backend = rejectingWhenClosed(engine);
    }

    /** On one member embedded in this JVM ({@link ClusterPool#embedded(int)}'s setup), stopped when the executor closes. */
    public static ClusterExecutor embedded(int workers) {
        HazelcastInstance member = Members.startEmbedded(workers);
        try {
            return new ClusterExecutor(new ClusterEngine(member, workers, member::shutdown));
        } catch (RuntimeException e) {
            member.shutdown();
            throw e;
        }
    }

    /** On {@code members} member JVMs started on this host (stopped when the executor closes). */
    public static ClusterExecutor localCluster(int members, int threadsPerMember) {
        LocalCluster c = LocalCluster.start(members, threadsPerMember);
        return new ClusterExecutor(new ClusterEngine(c.client(), members * threadsPerMember, c));
    }

    @Override
    protected PoolBackend backend() {
        return backend;
    }

    @Override
    protected String where() {
        return "a cluster member";
    }

    @Override
    protected Engine engine() {
        return engine;
    }
}
