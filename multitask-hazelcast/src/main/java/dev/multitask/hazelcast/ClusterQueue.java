package dev.multitask.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BlockingQueue} shared by the cluster's JVMs, named: the cluster counterpart of
 * {@code SharedQueue}, over Hazelcast's {@link IQueue} (items kept on one member with a
 * backup on another, so a member crash loses nothing that {@code put} returned for).
 * Items travel with Hazelcast's serialization (Java serialization for ordinary classes: a
 * non-serializable item fails at {@code put}, naming its class).
 *
 * <p>Differences from {@code SharedQueue}, by design of the engine: a bound is set in the
 * members' configuration ({@code QueueConfig.setMaxSize}), not here; there is no
 * {@code taskDone()}/{@code join()}; {@code iterator()} is a snapshot.
 */
public final class ClusterQueue<T> extends AbstractQueue<T> implements BlockingQueue<T> {
    private final IQueue<T> q;

    private ClusterQueue(IQueue<T> q) {
        this.q = q;
    }

    /** The queue named {@code name} on the cluster {@code hz} belongs to. */
    public static <T> ClusterQueue<T> get(HazelcastInstance hz, String name) {
        return new ClusterQueue<>(Objects.requireNonNull(hz, "hazelcastInstance").getQueue(Objects.requireNonNull(name, "name")));
    }

    /** The underlying Hazelcast queue. */
    public IQueue<T> hazelcastQueue() {
        return q;
    }

    public String name() {
        return q.getName();
    }

    @Override
    public boolean offer(T t) {
        return q.offer(Objects.requireNonNull(t, "ClusterQueue refuses null items"));
    }

    @Override
    public void put(T t) throws InterruptedException {
        q.put(Objects.requireNonNull(t, "ClusterQueue refuses null items"));
    }

    @Override
    public boolean offer(T t, long timeout, TimeUnit unit) throws InterruptedException {
        return q.offer(Objects.requireNonNull(t, "ClusterQueue refuses null items"), timeout, unit);
    }

    @Override
    public T take() throws InterruptedException {
        return q.take();
    }

    @Override
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        return q.poll(timeout, unit);
    }

    @Override
    public T poll() {
        return q.poll();
    }

    @Override
    public T peek() {
        return q.peek();
    }

    @Override
    public int remainingCapacity() {
        return q.remainingCapacity();
    }

    @Override
    public int drainTo(Collection<? super T> c) {
        return q.drainTo(c);
    }

    @Override
    public int drainTo(Collection<? super T> c, int maxElements) {
        return q.drainTo(c, maxElements);
    }

    @Override
    public Iterator<T> iterator() {
        return q.iterator();
    }

    @Override
    public int size() {
        return q.size();
    }

    @Override
    public boolean contains(Object o) {
        return q.contains(o);
    }

    @Override
    public boolean remove(Object o) {
        return q.remove(o);
    }

    @Override
    public void clear() {
        q.clear();
    }

    /** Removes the queue and its items from the cluster. */
    public void destroy() {
        q.destroy();
    }
}
